/**
 * test/support/raw-mqtt.ts, which the fuzz, security and fault tests build on: `onPublish` sees every PUBLISH,
 * also those that came in the same read as the CONNACK, before `connect` resolved and the caller could set it.
 */
import { describe, expect, it } from 'vitest';
import { RawMqtt } from '../../../test/support/raw-mqtt.ts';
import { startBroker } from './support/brokers.ts';

const persistent = { protocolVersion: 5 as const, clientId: 'raw-reader', clean: false, properties: { sessionExpiryInterval: 300 } };
const text = (payload: Uint8Array): string => new TextDecoder().decode(payload);

describe('RawMqtt.onPublish', () => {
  it('gets the messages a persistent session had queued, sent with the CONNACK, then the later ones, in order', async () => {
    const broker = await startBroker();
    const port = broker.ports.tcp!;
    const first = await RawMqtt.connect(port, persistent);
    await first.client.subscribe('jobs', 1);
    first.client.send({ type: 'disconnect', reasonCode: 0 });
    await first.client.waitClosed();
    for (const n of ['1', '2', '3']) broker.publish({ topic: 'jobs', payload: n, qos: 1 });

    // The broker writes the CONNACK and the queued messages in one turn, so one socket write.
    const { client } = await RawMqtt.connect(port, persistent);
    const got: string[] = [];
    client.onPublish = (packet) => got.push(text(packet.payload));
    await client.until(() => got.length >= 3, 'the three queued messages'); // before: never, they came with the CONNACK
    expect(got).toEqual(['1', '2', '3']);
    broker.publish({ topic: 'jobs', payload: '4', qos: 1 });
    await client.until(() => got.length === 4, 'the fourth message');
    expect(got).toEqual(['1', '2', '3', '4']);

    // Unset, then set again: what came meanwhile goes to the new handler, once.
    client.onPublish = undefined;
    broker.publish({ topic: 'jobs', payload: '5', qos: 1 });
    await client.until(() => client.received.filter((p) => p.type === 'publish').length === 5, 'the fifth message');
    const later: string[] = [];
    client.onPublish = (packet) => later.push(text(packet.payload));
    expect(later).toEqual(['5']);
    expect(got).toEqual(['1', '2', '3', '4']);
    client.destroy();
  });
});
