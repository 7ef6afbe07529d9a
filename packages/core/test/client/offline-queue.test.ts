/** The offline queue: bounded while offline, documented overflow policies, order kept. */
import { describe, expect, it } from 'vitest';
import { QueueFullError } from '../../src/client/errors.ts';
import { OfflineQueue } from '../../src/client/offline-queue.ts';
import { settle } from './fakes.ts';
import { connected, harness, reconnected } from './harness.ts';

describe('OfflineQueue', () => {
  it('reject-new refuses the newcomer when full; drop-oldest evicts the head', () => {
    const reject = new OfflineQueue<number>(2, 'reject-new');
    expect([reject.push(1, true), reject.push(2, true), reject.push(3, true)]).toEqual([undefined, undefined, 3]);
    expect(reject.drain()).toEqual([1, 2]);
    const drop = new OfflineQueue<number>(2, 'drop-oldest');
    expect([drop.push(1, true), drop.push(2, true), drop.push(3, true)]).toEqual([undefined, undefined, 1]);
    expect(drop.drain()).toEqual([2, 3]);
  });

  it('an unbounded push (waiting for the window while connected) ignores the limit', () => {
    const queue = new OfflineQueue<number>(1);
    queue.push(1, false);
    queue.push(2, false);
    expect(queue.length).toBe(2);
  });

  it('only items pushed bounded (made offline) count against the limit; drop-oldest evicts the oldest of those', () => {
    const queue = new OfflineQueue<string>(2, 'drop-oldest');
    queue.push('waiting-1', false);
    queue.push('offline-1', true);
    queue.push('waiting-2', false);
    queue.push('offline-2', true);
    expect(queue.push('offline-3', true)).toBe('offline-1');
    expect(queue.drain()).toEqual(['waiting-1', 'waiting-2', 'offline-2', 'offline-3']);
    const strict = new OfflineQueue<string>(1);
    strict.push('offline-1', true);
    expect(strict.shift()).toBe('offline-1');
    expect(strict.push('offline-2', true)).toBeUndefined();
  });

  it('keeps FIFO order across many shifts (compaction) and unshift restores items in front', () => {
    const queue = new OfflineQueue<number>(10_000);
    for (let i = 0; i < 5_000; i++) queue.push(i, true);
    const out: number[] = [];
    for (let i = 0; i < 3_000; i++) out.push(queue.shift()!);
    queue.unshift([-2, -1]);
    expect(out).toEqual(Array.from({ length: 3_000 }, (_, i) => i));
    expect(queue.peek()).toBe(-2);
    expect(queue.length).toBe(2_002);
    expect(queue.drain().slice(0, 4)).toEqual([-2, -1, 3_000, 3_001]);
  });
});

describe('publishing while offline', () => {
  it('queues before the first connection and sends everything in order once connected', async () => {
    const h = harness();
    const results = [0, 1, 2, 1, 0].map((qos, i) => h.client.publish('t', `${i}`, { qos: qos as 0 | 1 | 2 }));
    await settle(); // the queued count is published once per tick
    expect(h.client.state.getSnapshot().queued).toBe(5);
    const done = h.client.connect();
    await settle();
    const connection = h.network.accept();
    await done;
    const sent = connection.ofType('publish');
    expect(sent.map((p) => [new TextDecoder().decode(p.payload), p.qos])).toEqual([['0', 0], ['1', 1], ['2', 2], ['3', 1], ['4', 0]]);
    connection.deliver({ type: 'puback', packetId: sent[1]!.packetId! });
    connection.deliver({ type: 'pubrec', packetId: sent[2]!.packetId! });
    connection.deliver({ type: 'pubcomp', packetId: sent[2]!.packetId! });
    connection.deliver({ type: 'puback', packetId: sent[3]!.packetId! });
    await expect(Promise.all(results)).resolves.toHaveLength(5);
    expect(h.client.state.getSnapshot().queued).toBe(0);
  });

  it('[overflow reject-new] rejects the publish that does not fit with QueueFullError; the others are sent', async () => {
    const h = harness({ offlineQueue: { limit: 2 } });
    void h.client.publish('t', 'a', { qos: 1 });
    void h.client.publish('t', 'b');
    const error = await h.client.publish('t', 'c', { qos: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueFullError);
    expect((error as QueueFullError).message).toMatch(/at most 2 messages/);
    expect(h.client.state.getSnapshot().queued).toBe(2);
    const done = h.client.connect();
    await settle();
    const connection = h.network.accept();
    await done;
    expect(connection.ofType('publish').map((p) => new TextDecoder().decode(p.payload))).toEqual(['a', 'b']);
  });

  it('publishes that waited for the window before the connection dropped do not count against the limit', async () => {
    const h = harness({ offlineQueue: { limit: 1 } });
    const connection = await connected(h, { properties: { receiveMaximum: 1 } });
    const outcomes = ['a', 'b', 'c'].map((p) => h.client.publish('t', p, { qos: 1 }).then(() => 'ok', (e: unknown) => String(e)));
    connection.drop();
    void h.client.publish('t', 'offline', { qos: 1 }).then(() => 'ok', (e: unknown) => String(e));
    const refused = await h.client.publish('t', 'one too many', { qos: 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QueueFullError);
    const second = await reconnected(h);
    expect(second.ofType('publish').map((p) => new TextDecoder().decode(p.payload))).toEqual(['a', 'b', 'c', 'offline']);
    for (const p of second.ofType('publish')) second.deliver({ type: 'puback', packetId: p.packetId! });
    await settle();
    expect(await Promise.all(outcomes)).toEqual(['ok', 'ok', 'ok']);
  });

  it('[overflow drop-oldest] rejects the evicted oldest publish and sends the newest', async () => {
    const h = harness({ offlineQueue: { limit: 2, overflow: 'drop-oldest' } });
    const a = h.client.publish('t', 'a').catch((e: unknown) => e);
    void h.client.publish('t', 'b');
    void h.client.publish('t', 'c');
    expect(await a).toBeInstanceOf(QueueFullError);
    const done = h.client.connect();
    await settle();
    const connection = h.network.accept();
    await done;
    expect(connection.ofType('publish').map((p) => new TextDecoder().decode(p.payload))).toEqual(['b', 'c']);
  });
});
