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
});
