/**
 * `broker.publish` checks its input at the boundary: what no subscriber could be sent (a topic filter as topic,
 * QoS 3, a wildcard response topic, ...) throws `InvalidArgumentError` naming the field, and nothing is retained,
 * routed or reported. Before, it reached every matching subscriber's encoder and failed each connection (0x80).
 */
import { describe, expect, it } from 'vitest';
import type { PublishPacket, QoS } from '@mqttkit/core';
import { RawMqtt } from '../../../test/support/raw-mqtt.ts';
import { InvalidArgumentError, type PublishOptions } from '../src/index.ts';
import { MemorySessionStore } from '../src/store/memory.ts';
import { startBroker } from './support/brokers.ts';

/** Each input, and the field its error must name. */
const invalid: [PublishOptions, string][] = [
  [{ topic: 'bad/+', payload: 'x', qos: 1 }, 'topic'],
  [{ topic: 'bad/#', payload: 'x', retain: true }, 'topic'],
  [{ topic: '', payload: 'x' }, 'topic'],
  [{ topic: 'nul\u0000here', payload: 'x', retain: true }, 'topic'],
  [{ topic: 'ok', payload: 'x', qos: 3 as QoS }, 'qos'],
  [{ topic: 'ok', payload: 'x', properties: { responseTopic: 'replies/+' } }, 'properties.responseTopic'],
  [{ topic: 'ok', payload: 'x', properties: { userProperties: [['k', 'v\u0000']] } }, 'properties.userProperties[0][1]'],
  [{ topic: 'ok', payload: 'x', properties: { topicAlias: 1 } }, 'properties.topicAlias'],
  [{ topic: 'ok', payload: 'x', properties: { subscriptionIdentifier: [7] } }, 'properties.subscriptionIdentifier'],
];

const errorOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('broker.publish input', () => {
  it('[MQTT-4.7.1-1] [MQTT-4.7.3-1] [MQTT-3.3.2-14] refuses what a subscriber could not be sent with an InvalidArgumentError naming the field', async () => {
    const broker = await startBroker({ port: false, wsPort: false });
    for (const [options, field] of invalid) {
      const error = errorOf(() => broker.publish(options));
      expect(error, JSON.stringify(options)).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe(field);
    }
    expect((errorOf(() => broker.publish({ topic: 'bad/+', payload: 'x' })) as Error).message).toBe(
      `topic: topic name "bad/+" must not contain the wildcard '+' (index 4): wildcards are for filters [MQTT-4.7.1-1]`,
    );
    // Valid input still goes through, '$' topics and an expiry included.
    expect(broker.publish({ topic: '$app/status', payload: 'ok', qos: 2, properties: { responseTopic: 'replies/1', messageExpiryInterval: 60 } })).toBe(0);
  });

  it('a refused publish retains nothing and disconnects no subscriber (3.1.1, 5.0, persistent)', async () => {
    const store = new MemorySessionStore();
    const broker = await startBroker({ store });
    const port = broker.ports.tcp!;
    const published: string[] = [];
    broker.on('publish', (message) => published.push(message.topic));
    const subscribers = [
      await RawMqtt.connect(port, { clientId: 'four', protocolVersion: 4 }),
      await RawMqtt.connect(port, { clientId: 'five', protocolVersion: 5 }),
      await RawMqtt.connect(port, { clientId: 'kept', protocolVersion: 5, clean: false, properties: { sessionExpiryInterval: 300 } }),
    ].map(({ client }) => client);
    const received = subscribers.map((client) => {
      const got: PublishPacket[] = [];
      client.onPublish = (packet) => got.push(packet);
      return got;
    });
    for (const client of subscribers) expect(await client.subscribe('#', 2)).toEqual([2]);

    for (const [options] of invalid) errorOf(() => broker.publish(options));
    broker.publish({ topic: 'marker', payload: 'm', qos: 1 });

    for (const [i, client] of subscribers.entries()) {
      await client.until(() => received[i]!.length > 0 || client.isClosed, 'the marker');
      expect(client.isClosed).toBe(false);
      expect(received[i]!.map((p) => p.topic)).toEqual(['marker']);
    }
    expect(published).toEqual(['marker']);
    expect(broker.retained.size).toBe(0);
    expect(store.load().retained).toEqual([]);
    expect(broker.stats.messagesDropped).toBe(0);
    // A new subscriber to everything gets no retained message either: its first message is the next marker.
    const late = (await RawMqtt.connect(port, { clientId: 'late' })).client;
    await late.subscribe('#', 1);
    broker.publish({ topic: 'marker/2', payload: 'm', qos: 1 });
    expect((await late.next('publish')).topic).toBe('marker/2');
    for (const client of [...subscribers, late]) client.destroy();
  });
});
