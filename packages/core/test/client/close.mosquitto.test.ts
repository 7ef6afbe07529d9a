/** close() through Debian mosquitto: a graceful close delivers what was still queued and in flight. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MqttClient } from '../../src/client/index.ts';
import { startMosquitto, type Mosquitto } from '../../../../test/support/mosquitto.ts';
import { text, until } from './support.ts';

let broker: Mosquitto;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close({ force: true })));
  await broker.stop();
});

function client(protocolVersion: 4 | 5): MqttClient {
  const created = new MqttClient({ url: broker.wsUrl, WebSocket, protocolVersion });
  clients.push(created);
  return created;
}

describe.each([4, 5] as const)('MQTT %s through mosquitto', (version) => {
  it('close() right after 200 QoS 1/2 publishes (most still queued behind the window) delivers all of them, then disconnects', async () => {
    const subscriber = client(version);
    const publisher = client(version);
    await Promise.all([subscriber.connect(), publisher.connect()]);
    const got: string[] = [];
    await subscriber.subscribe(`close${version}/#`, (message) => got.push(text(message)), { qos: 2 }).ready;
    const sent = Array.from({ length: 200 }, (_, i) => publisher.publish(`close${version}/m`, `${i}`, { qos: ((i % 2) + 1) as 1 | 2 }));
    // mosquitto's Receive Maximum (and our 3.1.1 window) is 20: 180 of them are still queued at this point.
    await publisher.close({ timeoutMs: 10_000 });
    expect(publisher.state.getSnapshot().status).toBe('closed');
    await expect(Promise.all(sent)).resolves.toHaveLength(200);
    await until(() => got.length === 200, 'all 200 messages');
    // In order within each QoS; QoS 2 messages arrive later than the QoS 1 ones sent with them.
    const ofQos = (qos: 1 | 2) => Array.from({ length: 100 }, (_, i) => `${2 * i + qos - 1}`);
    expect(got.filter((m) => Number(m) % 2 === 0)).toEqual(ofQos(1));
    expect(got.filter((m) => Number(m) % 2 === 1)).toEqual(ofQos(2));
  });
});
