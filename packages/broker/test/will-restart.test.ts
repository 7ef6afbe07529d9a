/**
 * Wills survive a broker that dies (5.0 4.1: the Will Message and Will Delay Interval are session state; mosquitto's
 * persistence publishes them after restart too). The "crash" stops the first broker's timers and closes its store
 * without a single DISCONNECT or will, as `kill -9` would; the second broker opens the same SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Broker } from '../src/broker.ts';
import { createLogger } from '../src/log.ts';
import { SqliteSessionStore } from '../src/store/sqlite.ts';
import { MemoryClient, str, text } from './support/memory-client.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-will-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const running: Broker[] = [];
afterAll(async () => {
  for (const broker of running) await broker.close();
});

function open(file: string): Broker {
  const broker = new Broker({ logger: createLogger('silent'), store: new SqliteSessionStore(file) });
  running.push(broker);
  return broker;
}

/** Dies as a killed process does: nothing more is sent, published or written. */
function crash(broker: Broker): void {
  running.splice(running.indexOf(broker), 1);
  for (const session of broker.sessions.values()) session.clearTimers();
  broker.store.close();
}

const will = { topic: 'status/dev', payload: text('gone'), qos: 1 as const, retain: false };
const watcherConnect = { clientId: 'watcher', clean: false } as const;

/** A persistent watcher on status/# that is offline when the broker dies. */
async function offlineWatcher(broker: Broker): Promise<void> {
  const { client } = await MemoryClient.connect(broker, watcherConnect);
  await client.subscribe('status/#', 1);
  client.send({ type: 'disconnect' });
  await client.closed();
}

describe('wills across a broker crash (SQLite)', () => {
  it('[MQTT-3.1.2-8] a will owed by a connection that died with the broker is published after restart', async () => {
    const file = path.join(dir, `will-${++files}.db`);
    const first = open(file);
    await offlineWatcher(first);
    await MemoryClient.connect(first, { clientId: 'dev', will: { ...will, retain: true } });
    crash(first);

    const second = open(file);
    const { client: watcher, connack } = await MemoryClient.connect(second, watcherConnect);
    expect(connack.sessionPresent).toBe(true);
    expect(str((await watcher.next('publish')).payload)).toBe('gone'); // QoS 1: queued for the offline session
    const { client: late } = await MemoryClient.connect(second);
    await late.subscribe('status/dev', 1);
    const retained = await late.next('publish');
    expect([retained.retain, str(retained.payload)]).toEqual([true, 'gone']);
    expect(second.store.load().wills).toEqual([]);
  });

  it('[MQTT-3.1.2-10] a will discarded by a normal DISCONNECT before the crash is not published after restart', async () => {
    const file = path.join(dir, `will-${++files}.db`);
    const first = open(file);
    await offlineWatcher(first);
    const { client: device } = await MemoryClient.connect(first, { clientId: 'dev', will });
    device.send({ type: 'disconnect' });
    await device.closed();
    crash(first);

    const second = open(file);
    expect(second.store.load().wills).toEqual([]);
    second.publish({ topic: 'status/marker', payload: 'm', qos: 1 });
    const { client: watcher } = await MemoryClient.connect(second, watcherConnect);
    expect((await watcher.next('publish')).topic).toBe('status/marker');
  });

  it('[MQTT-3.1.3-9] 5.0 will delay counts from the restart: the client back in time cancels its will', async () => {
    const file = path.join(dir, `will-${++files}.db`);
    const device = { protocolVersion: 5 as const, clientId: 'dev', properties: { sessionExpiryInterval: 60 }, will: { ...will, properties: { willDelayInterval: 1 } } };
    const first = open(file);
    await offlineWatcher(first);
    await MemoryClient.connect(first, device);
    crash(first);

    const second = open(file);
    await MemoryClient.connect(second, { ...device, clean: false });
    const { client: watcher } = await MemoryClient.connect(second, watcherConnect);
    expect(await watcher.nothingWithin(1300)).toBe(true);
    // Only the new connection's will is owed now, and only if it drops.
    expect(second.store.load().wills.map((w) => [w.clientId, w.dueAt])).toEqual([['dev', undefined]]);
  });

  it('[MQTT-3.1.3-9] a will whose delay was running when the broker died goes out when due after restart', async () => {
    const file = path.join(dir, `will-${++files}.db`);
    const first = open(file);
    await offlineWatcher(first);
    const { client: device } = await MemoryClient.connect(first, { protocolVersion: 5, clientId: 'dev', properties: { sessionExpiryInterval: 60 }, will: { ...will, properties: { willDelayInterval: 1 } } });
    const dropped = Date.now();
    device.drop();
    crash(first);

    const second = open(file);
    const { client: watcher } = await MemoryClient.connect(second, watcherConnect);
    expect(str((await watcher.next('publish', 3000)).payload)).toBe('gone');
    expect(Date.now() - dropped).toBeGreaterThanOrEqual(900);
    expect(second.store.load().wills).toEqual([]);
  });

  it('[MQTT-3.1.3-9] 5.0 with session expiry 0 the session ended with the broker: the will goes out at restart, delay or not', async () => {
    const file = path.join(dir, `will-${++files}.db`);
    const first = open(file);
    await offlineWatcher(first);
    await MemoryClient.connect(first, { protocolVersion: 5, clientId: 'dev', will: { ...will, properties: { willDelayInterval: 600 } } });
    crash(first);

    const second = open(file);
    const { client: watcher } = await MemoryClient.connect(second, watcherConnect);
    expect(str((await watcher.next('publish')).payload)).toBe('gone');
  });

  it('a delayed will cancelled by a reconnect before the crash stays cancelled after restart', async () => {
    const file = path.join(dir, `will-${++files}.db`);
    const device = { protocolVersion: 5 as const, clientId: 'dev', properties: { sessionExpiryInterval: 60 }, will: { ...will, properties: { willDelayInterval: 1 } } };
    const first = open(file);
    await offlineWatcher(first);
    const { client: dropped } = await MemoryClient.connect(first, device);
    dropped.drop();
    const { will: _cancelled, ...withoutWill } = device;
    await MemoryClient.connect(first, { ...withoutWill, clean: false });
    crash(first);

    const second = open(file);
    expect(second.store.load().wills).toEqual([]);
    const { client: watcher } = await MemoryClient.connect(second, watcherConnect);
    expect(await watcher.nothingWithin(1300)).toBe(true);
  });
});
