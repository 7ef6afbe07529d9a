import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker } from './support/brokers.ts';

const clients: MqttClient[] = [];
async function connect(url: string, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...options });
  clients.push(client);
  return client;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
});

function nextMessage(client: MqttClient): Promise<{ topic: string; payload: string; packet: mqtt.IPublishPacket }> {
  return new Promise((resolve) => client.once('message', (topic, payload, packet) => resolve({ topic, payload: payload.toString(), packet })));
}

const transports = ['tcp', 'ws'] as const;
const versions = [4, 5] as const;

describe('MQTT.js against our broker', () => {
  for (const transport of transports) {
    for (const version of versions) {
      it(`[MQTT-4.3.1-1] [MQTT-4.3.2-1] [MQTT-4.3.3-1] QoS 0, 1 and 2 round trip over ${transport} at level ${version}`, async () => {
        const broker = await startBroker();
        const url = transport === 'tcp' ? broker.tcpUrl : broker.wsUrl;
        const subscriber = await connect(url, { protocolVersion: version });
        const publisher = await connect(url, { protocolVersion: version });
        await subscriber.subscribeAsync('room/+/temp', { qos: 2 });
        for (const qos of [0, 1, 2] as const) {
          const received = nextMessage(subscriber);
          await publisher.publishAsync(`room/${qos}/temp`, `t${qos}`, { qos });
          const message = await received;
          expect(message.topic).toBe(`room/${qos}/temp`);
          expect(message.payload).toBe(`t${qos}`);
          expect(message.packet.qos).toBe(qos);
        }
      });
    }
  }

  it('[MQTT-3.3.1-9] retained message over WebSocket at 5.0, cleared by an empty payload', async () => {
    const broker = await startBroker();
    const publisher = await connect(broker.wsUrl, { protocolVersion: 5 });
    await publisher.publishAsync('lamp/state', 'on', { qos: 1, retain: true });
    const first = await connect(broker.wsUrl, { protocolVersion: 5 });
    const retained = nextMessage(first);
    await first.subscribeAsync('lamp/#');
    const message = await retained;
    expect(message.payload).toBe('on');
    expect(message.packet.retain).toBe(true);
    await publisher.publishAsync('lamp/state', '', { qos: 1, retain: true });
    expect(broker.retained.size).toBe(0);
  });

  it('[MQTT-3.1.2-8] will is published when the socket drops', async () => {
    const broker = await startBroker();
    const watcher = await connect(broker.tcpUrl);
    await watcher.subscribeAsync('status/#', { qos: 1 });
    const device = await connect(broker.tcpUrl, { clientId: 'device-1', will: { topic: 'status/device-1', payload: Buffer.from('offline'), qos: 1, retain: false } });
    const will = nextMessage(watcher);
    (device.stream as unknown as { destroy(): void }).destroy();
    expect((await will).payload).toBe('offline');
  });

  it('[MQTT-3.1.4-3] takeover: the old MQTT.js 5.0 connection gets DISCONNECT 0x8E', async () => {
    const broker = await startBroker();
    const first = await connect(broker.tcpUrl, { protocolVersion: 5, clientId: 'taken' });
    const kicked = new Promise<number | undefined>((resolve) => first.once('disconnect', (packet) => resolve(packet.reasonCode)));
    await connect(broker.wsUrl, { protocolVersion: 5, clientId: 'taken' });
    expect(await kicked).toBe(0x8e);
  });

  it('[MQTT-3.1.2-5] queued QoS 1 messages reach a reconnecting persistent session (3.1.1 over WebSocket)', async () => {
    const broker = await startBroker();
    const sub = await connect(broker.wsUrl, { clientId: 'persist', clean: false });
    await sub.subscribeAsync('queue/#', { qos: 1 });
    await sub.endAsync();
    const publisher = await connect(broker.tcpUrl);
    for (let i = 0; i < 5; i++) await publisher.publishAsync(`queue/${i}`, `q${i}`, { qos: 1 });
    const got: string[] = [];
    const all = new Promise<void>((resolve) => {
      const again = mqtt.connect(broker.wsUrl, { clientId: 'persist', clean: false, reconnectPeriod: 0 });
      clients.push(again);
      again.on('message', (_topic, payload) => {
        got.push(payload.toString());
        if (got.length === 5) resolve();
      });
    });
    await all;
    expect(got).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
  });

  it('[MQTT-4.8.2-?] shared subscription over MQTT.js 5.0: two members split the load', async () => {
    const broker = await startBroker();
    const a = await connect(broker.tcpUrl, { protocolVersion: 5 });
    const b = await connect(broker.wsUrl, { protocolVersion: 5 });
    const got: string[] = [];
    for (const member of [a, b]) {
      member.on('message', (_topic, payload) => got.push(payload.toString()));
      await member.subscribeAsync('$share/workers/task', { qos: 1 });
    }
    const publisher = await connect(broker.tcpUrl, { protocolVersion: 5 });
    for (let i = 0; i < 10; i++) await publisher.publishAsync('task', `t${i}`, { qos: 1 });
    const deadline = Date.now() + 3000;
    while (got.length < 10 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(got.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`).sort());
  });

  it('ACL denial seen by MQTT.js 5.0: SUBACK 0x87, PUBACK 0x87', async () => {
    const broker = await startBroker({ users: { bob: 'builder' }, acl: 'user bob\ntopic read home/temp\n' });
    const bob = await connect(broker.tcpUrl, { protocolVersion: 5, username: 'bob', password: 'builder' });
    await expect(bob.subscribeAsync('office/#', { qos: 1 })).rejects.toThrow(/Not authorized/);
    await expect(bob.publishAsync('home/temp', 'forged', { qos: 1 })).rejects.toThrow();
  });
});

