import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { ClientInfo } from '../src/hooks.ts';
import type { BrokerMessage } from '../src/message.ts';
import { startBroker } from './support/brokers.ts';

describe('programmatic API', () => {
  it('createBroker binds 127.0.0.1 on free ports and emits connect, publish and disconnect', async () => {
    const broker = await startBroker();
    expect(broker.ports.tcp).toBeGreaterThan(0);
    expect(broker.ports.ws).toBeGreaterThan(0);
    const events: string[] = [];
    const disconnected = new Promise<ClientInfo>((resolve) => broker.on('disconnect', resolve));
    broker.on('connect', (client) => events.push(`connect ${client.clientId}`));
    broker.on('publish', (message: BrokerMessage, client) => events.push(`publish ${message.topic} ${client?.clientId}`));
    const client = await mqtt.connectAsync(broker.tcpUrl, { clientId: 'api', reconnectPeriod: 0 });
    await client.publishAsync('events/x', 'y', { qos: 1 });
    await client.endAsync();
    expect((await disconnected).clientId).toBe('api');
    expect(events).toEqual(['connect api', 'publish events/x api']);
  });

  it('$SYS/broker/... topics report version, clients and message counts', async () => {
    const broker = await startBroker({ sysInterval: 1 });
    const client = await mqtt.connectAsync(broker.wsUrl, { reconnectPeriod: 0 });
    const seen = new Map<string, string>();
    const wanted = ['$SYS/broker/version', '$SYS/broker/uptime', '$SYS/broker/clients/connected', '$SYS/broker/messages/received', '$SYS/broker/bytes/sent', '$SYS/broker/retained messages/count'];
    const all = new Promise<void>((resolve) =>
      client.on('message', (topic, payload) => {
        seen.set(topic, payload.toString());
        // The retained values from start-up say 0 clients; the next update (1 s) counts this one.
        if (wanted.every((t) => seen.has(t)) && seen.get('$SYS/broker/clients/connected') === '1') resolve();
      }),
    );
    await client.subscribeAsync('$SYS/broker/#');
    await all;
    expect(seen.get('$SYS/broker/version')).toMatch(/^mqttkit-broker /);
    expect(Number(seen.get('$SYS/broker/bytes/sent'))).toBeGreaterThan(0);
    await client.endAsync();
  });

  it('close() stops listening and disconnects clients', async () => {
    const broker = await startBroker();
    const client = await mqtt.connectAsync(broker.tcpUrl, { reconnectPeriod: 0, protocolVersion: 5 });
    const reason = new Promise<number | undefined>((resolve) => client.once('disconnect', (packet) => resolve(packet.reasonCode)));
    await broker.close();
    expect(await reason).toBe(0x8b);
    await expect(mqtt.connectAsync(broker.tcpUrl, { reconnectPeriod: 0, connectTimeout: 1000 })).rejects.toThrow();
  });

  it('an event listener that throws is logged and changes nothing for the clients', async () => {
    const broker = await startBroker();
    broker.on('publish', () => {
      throw new Error('listener bug');
    });
    broker.on('disconnect', () => {
      throw new Error('listener bug');
    });
    const client = await mqtt.connectAsync(broker.tcpUrl, { reconnectPeriod: 0 });
    const echoed = new Promise<string>((resolve) => client.once('message', (_topic, payload) => resolve(payload.toString())));
    await client.subscribeAsync('still');
    await client.publishAsync('still', 'works', { qos: 1 });
    expect(await echoed).toBe('works');
    await client.endAsync();
  });
});
