/**
 * A CONNECT that fails after its session was opened (the store fails while the connection's will is saved:
 * CONNACK 0x80) leaves the session as a disconnect does: offline, its messages queued for the next connection,
 * its expiry counting. The refused connection's will is never published (only an accepted connection owes one:
 * MQTT-3.1.2-8), and a delayed will of the session's earlier connection stays due: nothing resumed the session.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectPacket, PublishPacket } from '@mqttkit/core';
import { RawMqtt } from '../../../test/support/raw-mqtt.ts';
import { createLogger } from '../src/log.ts';
import { MemorySessionStore } from '../src/store/memory.ts';
import type { StoredWill } from '../src/store/types.ts';
import { startBroker } from './support/brokers.ts';
import { memoryBroker } from './support/memory-broker.ts';
import { MemoryClient, str, text } from './support/memory-client.ts';

/** A store whose disk fails while `failing` (as SQLite's SQLITE_FULL would), for wills only. */
class WillFailingStore extends MemorySessionStore {
  failing = false;
  override saveWill(will: StoredWill): void {
    if (this.failing) throw new Error('disk I/O error');
    super.saveWill(will);
  }
}

const persistent = (clientId: string, sessionExpiryInterval = 300) =>
  ({ protocolVersion: 5 as const, clientId, clean: false, properties: { sessionExpiryInterval } }) satisfies Partial<ConnectPacket>;
const refusedWill = { topic: 'wills/refused', payload: text('never'), qos: 0 as const, retain: false };

/** One flush turn of the broker's write path: whatever it sent by now has been written (timers may be fake). */
const flushed = () => new Promise((resolve) => setImmediate(resolve));

/** Fake timers and a fake Date: a will's delay counts from its close time, read from Date.now(). */
const useFakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });

afterEach(() => {
  vi.useRealTimers();
});

describe('a CONNECT that fails after its session was opened', () => {
  it('[MQTT-3.1.2-8] [MQTT-4.4.0-1] leaves the session offline: QoS 1/2 queued for the next connection, QoS 0 not sent, no will', async () => {
    const store = new WillFailingStore();
    const drops: string[] = [];
    const logger = createLogger('debug', (line) => {
      const why = / "message dropped" .*why=(\S+)/.exec(line)?.[1];
      if (why) drops.push(why);
    });
    const broker = await startBroker({ store, logger });
    const port = broker.ports.tcp!;
    const watcher = await RawMqtt.connect(port, { clientId: 'watcher' });
    await watcher.client.subscribe('wills/#', 0);
    const first = await RawMqtt.connect(port, persistent('keeper'));
    expect(await first.client.subscribe('jobs/#', 2)).toEqual([2]);
    first.client.send({ type: 'disconnect', reasonCode: 0 });
    await first.client.waitClosed();
    const disconnects: string[] = [];
    broker.on('disconnect', (client) => disconnects.push(client.clientId));

    store.failing = true;
    const refused = await RawMqtt.connect(port, { ...persistent('keeper'), will: refusedWill });
    expect(refused.connack.reasonCode).toBe(0x80);
    await refused.client.waitClosed();
    store.failing = false;
    expect(disconnects).toEqual([]); // it was never connected

    broker.publish({ topic: 'jobs/0', payload: 'at most once', qos: 0 });
    broker.publish({ topic: 'jobs/a', payload: 'kept', qos: 1 });
    broker.publish({ topic: 'jobs/c', payload: 'kept too', qos: 2 });
    // As for any offline session: QoS 0 is not queued (and not a drop), QoS 1/2 wait in the queue.
    expect(drops).toEqual([]);
    expect(broker.sessions.get('keeper')!.queue.map((out) => out.message.topic)).toEqual(['jobs/a', 'jobs/c']);
    expect(broker.sessions.get('keeper')!.client).toBeUndefined();

    const next = await RawMqtt.connect(port, persistent('keeper'));
    expect(next.connack.sessionPresent).toBe(true);
    const got: PublishPacket[] = [];
    next.client.onPublish = (packet) => got.push(packet); // also gets those that came with the CONNACK
    await next.client.until(() => got.length >= 2, 'the QoS 1 and QoS 2 messages');
    expect(got.map((p) => [p.topic, p.qos, p.dup])).toEqual([['jobs/a', 1, false], ['jobs/c', 2, false]]);
    expect(broker.stats.messagesDropped).toBe(0);

    // The refused connection's will never comes: the watcher's next message is this marker.
    broker.publish({ topic: 'wills/marker', payload: 'm' });
    expect((await watcher.client.next('publish')).topic).toBe('wills/marker');
    next.client.destroy();
    watcher.client.destroy();
  });

  it('[MQTT-3.1.2-23] starts the session expiry timer: a session with a 1 s expiry is gone after 1 s', async () => {
    useFakeClock();
    const store = new WillFailingStore();
    const broker = memoryBroker({ store });
    const { client: first } = await MemoryClient.connect(broker, persistent('brief', 300));
    await first.subscribe('jobs/#', 1);
    first.send({ type: 'disconnect' });
    await first.closed();

    store.failing = true;
    const refused = await MemoryClient.connect(broker, { ...persistent('brief', 1), will: refusedWill });
    expect(refused.connack.reasonCode).toBe(0x80);
    await refused.client.closed();
    store.failing = false;
    broker.publish({ topic: 'jobs/a', payload: 'queued', qos: 1 });
    expect(store.load().sessions.map((s) => s.clientId)).toEqual(['brief']);

    vi.advanceTimersByTime(999);
    expect(broker.sessions.has('brief')).toBe(true);
    vi.advanceTimersByTime(1);
    expect(broker.sessions.has('brief')).toBe(false);
    expect(store.load().sessions).toEqual([]);
    const again = await MemoryClient.connect(broker, persistent('brief'));
    expect(again.connack.sessionPresent).toBe(false);
    await flushed();
    expect(again.client.received).toEqual([]);
  });

  it('[MQTT-3.1.3-9] does not cancel the delayed will of the session\'s earlier connection', async () => {
    useFakeClock();
    const store = new WillFailingStore();
    const broker = memoryBroker({ store });
    const { client: watcher } = await MemoryClient.connect(broker);
    await watcher.subscribe('wills/#', 0);
    const will = { topic: 'wills/device', payload: text('gone'), qos: 0 as const, retain: false, properties: { willDelayInterval: 5 } };
    const { client: device } = await MemoryClient.connect(broker, { ...persistent('device', 60), will });
    device.drop();

    store.failing = true;
    const refused = await MemoryClient.connect(broker, { ...persistent('device', 60), will: refusedWill });
    expect(refused.connack.reasonCode).toBe(0x80);
    await refused.client.closed();
    store.failing = false;

    vi.advanceTimersByTime(4999);
    await flushed();
    expect(watcher.received).toEqual([]);
    vi.advanceTimersByTime(1);
    await flushed();
    expect(watcher.received.map((p) => (p.type === 'publish' ? [p.topic, str(p.payload)] : p.type))).toEqual([['wills/device', 'gone']]);
    watcher.received.length = 0;
    expect(store.load().wills).toEqual([]);

    // The session ends (expiry 60 s): the refused connection's will is not published then either.
    vi.advanceTimersByTime(60_000);
    expect(broker.sessions.has('device')).toBe(false);
    broker.publish({ topic: 'wills/marker', payload: 'm' });
    expect((await watcher.next('publish')).topic).toBe('wills/marker');
  });
});
