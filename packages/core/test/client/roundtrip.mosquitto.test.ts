/** Round trips through Debian mosquitto over WebSocket, at MQTT 3.1.1 and 5.0, with `ws` injected. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MqttClient } from '../../src/client/index.ts';
import type { Message } from '../../src/client/types.ts';
import { startMosquitto, type Mosquitto } from '../../../../test/support/mosquitto.ts';
import { text, until } from './support.ts';

let broker: Mosquitto;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await broker.stop();
});

function client(protocolVersion: 4 | 5, extra: Partial<ConstructorParameters<typeof MqttClient>[0]> = {}): MqttClient {
  const created = new MqttClient({ url: broker.wsUrl, WebSocket, protocolVersion, ...extra });
  clients.push(created);
  return created;
}

describe.each([4, 5] as const)('MQTT %s through mosquitto', (version) => {
  it('[MQTT-4.3.1-1][MQTT-4.3.2-1][MQTT-4.3.3-1] delivers QoS 0, 1 and 2 with the QoS granted', async () => {
    const subscriber = client(version);
    const publisher = client(version);
    await Promise.all([subscriber.connect(), publisher.connect()]);
    const got: Message[] = [];
    const handle = subscriber.subscribe(`rt${version}/+/q`, (message) => got.push(message), { qos: 2 });
    expect(await handle.ready).toBe(2);
    await publisher.publish(`rt${version}/0/q`, 'zero');
    await publisher.publish(`rt${version}/1/q`, 'one', { qos: 1 });
    await publisher.publish(`rt${version}/2/q`, 'two', { qos: 2 });
    await until(() => got.length === 3, "three messages");
    expect(got.map((m) => [m.topic, text(m), m.qos])).toEqual([
      [`rt${version}/0/q`, 'zero', 0],
      [`rt${version}/1/q`, 'one', 1],
      [`rt${version}/2/q`, 'two', 2],
    ]);
  });

  it('[MQTT-3.3.1-6] a new subscription receives the retained message; an empty retained one clears it', async () => {
    const publisher = client(version);
    await publisher.connect();
    await publisher.publish(`retained${version}/lamp`, 'on', { qos: 1, retain: true });
    const subscriber = client(version);
    await subscriber.connect();
    const got: Message[] = [];
    await subscriber.subscribe(`retained${version}/#`, (message) => got.push(message)).ready;
    await until(() => got.length === 1, 'the retained message');
    expect(got[0]?.retain).toBe(true);
    expect(text(got[0] as Message)).toBe('on');
    await publisher.publish(`retained${version}/lamp`, '', { qos: 1, retain: true });
    const late = client(version);
    await late.connect();
    const lateGot: Message[] = [];
    await late.subscribe(`retained${version}/#`, (message) => lateGot.push(message)).ready;
    // A marker published after the subscription proves the retained message would have arrived before it.
    await publisher.publish(`retained${version}/marker`, 'm', { qos: 1 });
    await until(() => lateGot.length === 1, 'the marker');
    expect(lateGot.map((m) => m.topic)).toEqual([`retained${version}/marker`]);
  });
});
