import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawnBroker, type ChildBroker } from './support/child-broker.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-durable-'));
const children: ChildBroker[] = [];
const clients: MqttClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.end(true);
  await Promise.all(children.splice(0).map((child) => child.kill('SIGKILL')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(args: string[]): Promise<ChildBroker> {
  const child = await spawnBroker(args);
  children.push(child);
  return child;
}

/** Connects; `onMessage` is attached before CONNACK, since queued messages arrive in the same chunk. */
async function connect(port: number, options: mqtt.IClientOptions = {}, onMessage?: (payload: string) => void): Promise<MqttClient> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
  clients.push(client);
  if (onMessage) client.on('message', (_topic, payload) => onMessage(payload.toString()));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

/** Resolves once `done()` holds, checking on every message; rejects after `ms`. */
function until(client: MqttClient, done: () => boolean, ms: number, explain: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) return resolve();
    const timer = setTimeout(() => reject(new Error(`timed out waiting for messages: ${explain()}`)), ms);
    client.on('message', () => {
      if (done()) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

describe('SQLite durability', () => {
  it('kill -9 mid-stream loses no acknowledged QoS 1/2 message and duplicates no QoS 2 message', async () => {
    const store = path.join(dir, 'kill9.db');
    const args = ['--port', '0', '--store', store, '--log-level', 'info'];
    let broker = await start(args);

    // An offline persistent subscriber (queued delivery) and an online one (in flight when the broker dies).
    const offline = await connect(broker.tcpPort, { clientId: 'offline-sub', clean: false });
    await offline.subscribeAsync('stream/#', { qos: 2 });
    await offline.endAsync();
    const onlineGot: string[] = [];
    const online = await connect(broker.tcpPort, { clientId: 'online-sub', clean: false }, (p) => onlineGot.push(p));
    await online.subscribeAsync('stream/#', { qos: 2 });

    const publisher = await connect(broker.tcpPort, { clientId: 'publisher' });
    // MQTT.js leaves publishes pending forever when the connection dies: race them with its close.
    const gone = new Promise<never>((_resolve, reject) => publisher.once('close', () => reject(new Error('connection closed'))));
    gone.catch(() => {});
    const acked: { payload: string; qos: 1 | 2 }[] = [];
    const killAt = 150;
    for (let i = 0; i < 400; i++) {
      const qos = i % 2 === 0 ? 1 : 2;
      try {
        await Promise.race([publisher.publishAsync(`stream/${i}`, `m${i}`, { qos }), gone]);
      } catch {
        break; // the broker is gone
      }
      acked.push({ payload: `m${i}`, qos });
      if (acked.length === killAt) void broker.kill('SIGKILL');
    }
    expect(await broker.exited).toBeNull();
    expect(acked.length).toBeGreaterThanOrEqual(killAt);
    expect(acked.length).toBeLessThan(400); // killed mid-stream
    online.end(true);
    publisher.end(true);

    broker = await start(args);
    expect(broker.logs()).toMatch(/"state restored" sessions=[1-9]/);
    const wanted = new Set(acked.map((m) => m.payload));
    const offlineGot: string[] = [];
    const again = await connect(broker.tcpPort, { clientId: 'offline-sub', clean: false }, (p) => offlineGot.push(p));
    const onlineAgain = await connect(broker.tcpPort, { clientId: 'online-sub', clean: false }, (p) => onlineGot.push(p));
    await Promise.all([
      until(again, () => [...wanted].every((p) => offlineGot.includes(p)), 15_000, () => `offline subscriber lacks ${[...wanted].filter((p) => !offlineGot.includes(p)).join(' ')}`),
      until(onlineAgain, () => [...wanted].every((p) => onlineGot.includes(p)), 15_000, () => `online subscriber lacks ${[...wanted].filter((p) => !onlineGot.includes(p)).join(' ')}`),
    ]);
    // Drain whatever else the broker still had (unacknowledged publishes may legitimately arrive too).
    await Promise.all([again.endAsync(), onlineAgain.endAsync()]);

    for (const got of [offlineGot, onlineGot]) {
      const qos2 = acked.filter((m) => m.qos === 2).map((m) => m.payload);
      for (const payload of qos2) expect(got.filter((p) => p === payload)).toHaveLength(1);
    }
  }, 90_000);

  it('[MQTT-3.1.2-8] kill -9 while a client with a will is connected: the will is published after restart', async () => {
    const store = path.join(dir, 'kill9-will.db');
    const args = ['--port', '0', '--store', store, '--log-level', 'info'];
    let broker = await start(args);
    const watcher = await connect(broker.tcpPort, { clientId: 'will-watcher', clean: false });
    await watcher.subscribeAsync('status/#', { qos: 1 });
    await watcher.endAsync();
    const device = await connect(broker.tcpPort, { clientId: 'device', will: { topic: 'status/device', payload: Buffer.from('offline'), qos: 1, retain: true } });
    await broker.kill('SIGKILL'); // the CONNACK came, so the will was stored
    device.end(true);

    broker = await start(args);
    expect(broker.logs()).toMatch(/"state restored" .*wills=1/);
    const got: string[] = [];
    const back = await connect(broker.tcpPort, { clientId: 'will-watcher', clean: false }, (payload) => got.push(payload));
    await until(back, () => got.includes('offline'), 10_000, () => `watcher got [${got.join(', ')}]`);
    const retained = await connect(broker.tcpPort);
    const value = new Promise<string>((resolve) => retained.once('message', (_topic, payload) => resolve(payload.toString())));
    await retained.subscribeAsync('status/device', { qos: 1 });
    expect(await value).toBe('offline');
  }, 60_000);

  it('SIGTERM closes listeners, tells 5.0 clients 0x8B, keeps the store, exits 0', async () => {
    const store = path.join(dir, 'sigterm.db');
    const broker = await start(['--port', '0', '--store', store]);
    const client = await connect(broker.tcpPort, { protocolVersion: 5, clientId: 'graceful', clean: false, properties: { sessionExpiryInterval: 300 } });
    await client.subscribeAsync('keep/me', { qos: 1 });
    const disconnect = new Promise<number | undefined>((resolve) => client.once('disconnect', (packet) => resolve(packet.reasonCode)));
    void broker.kill('SIGTERM');
    expect(await disconnect).toBe(0x8b);
    expect(await broker.exited).toBe(0);
    const restarted = await start(['--port', '0', '--store', store]);
    const back = await connect(restarted.tcpPort, { protocolVersion: 5, clientId: 'graceful', clean: false, properties: { sessionExpiryInterval: 300 } });
    const retained = new Promise<string>((resolve) => back.once('message', (_t, payload) => resolve(payload.toString())));
    const publisher = await connect(restarted.tcpPort);
    await publisher.publishAsync('keep/me', 'subscription survived', { qos: 1 });
    expect(await retained).toBe('subscription survived');
  }, 60_000);
});
