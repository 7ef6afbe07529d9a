/** close(): graceful by default (waits, bounded, for acknowledgements, then DISCONNECT), or forced at once. */
import { describe, expect, it } from 'vitest';
import { ClientClosedError } from '../../src/client/errors.ts';
import type { Packet } from '../../src/codec/packets.ts';
import { settle } from './fakes.ts';
import { connected, harness } from './harness.ts';

/** Records how a promise settled, without awaiting it. */
function outcome(promise: Promise<unknown>): { value: 'pending' | 'resolved' | unknown } {
  const seen: { value: 'pending' | 'resolved' | unknown } = { value: 'pending' };
  promise.then(
    () => (seen.value = 'resolved'),
    (error: unknown) => (seen.value = error),
  );
  return seen;
}

const types = (sent: Packet[]) => sent.map((p) => p.type);

describe('close() gracefully (the default)', () => {
  it('waits for every in-flight and queued publish to be acknowledged, then sends DISCONNECT last', async () => {
    const h = harness({ protocolVersion: 5 });
    const connection = await connected(h, { properties: { receiveMaximum: 2 } });
    const one = outcome(h.client.publish('t', '1', { qos: 1 }));
    const two = outcome(h.client.publish('t', '2', { qos: 2 }));
    const three = outcome(h.client.publish('t', '3', { qos: 1 })); // waits for a slot of the window
    const closed = outcome(h.client.close());
    await settle();
    expect(closed.value).toBe('pending');
    expect(types(connection.sent)).toEqual(['publish', 'publish']);
    expect(connection.closed).toBe(false);

    // New publishes are refused at once while the close waits.
    await expect(h.client.publish('t', 'late', { qos: 1 })).rejects.toBeInstanceOf(ClientClosedError);

    const [first, second] = connection.ofType('publish');
    connection.deliver({ type: 'puback', packetId: first!.packetId! });
    const third = connection.ofType('publish')[2]!;
    expect(new TextDecoder().decode(third.payload)).toBe('3');
    connection.deliver({ type: 'pubrec', packetId: second!.packetId! });
    connection.deliver({ type: 'pubcomp', packetId: second!.packetId! });
    await settle();
    expect(closed.value).toBe('pending');
    connection.deliver({ type: 'puback', packetId: third.packetId! });
    await settle();

    expect([one.value, two.value, three.value, closed.value]).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
    expect(connection.sent.at(-1)).toEqual({ type: 'disconnect' });
    expect(connection.closed).toBe(true);
    expect(h.client.state.getSnapshot().status).toBe('closed');
  });

  it('disconnects after timeoutMs and rejects what is still unacknowledged with ClientClosedError', async () => {
    const h = harness();
    const connection = await connected(h);
    const publish = outcome(h.client.publish('t', 'x', { qos: 1 }));
    const closed = outcome(h.client.close({ timeoutMs: 2_000 }));
    h.clock.advance(1_999);
    await settle();
    expect(closed.value).toBe('pending');
    expect(types(connection.sent)).toEqual(['publish']);
    h.clock.advance(1);
    await settle();
    expect(closed.value).toBe('resolved');
    expect(publish.value).toBeInstanceOf(ClientClosedError);
    expect(types(connection.sent)).toEqual(['publish', 'disconnect']);
  });

  it('waits 5,000 ms by default', async () => {
    const h = harness();
    await connected(h);
    void h.client.publish('t', 'x', { qos: 1 }).catch(() => {});
    const closed = outcome(h.client.close());
    h.clock.advance(4_999);
    await settle();
    expect(closed.value).toBe('pending');
    h.clock.advance(1);
    await settle();
    expect(closed.value).toBe('resolved');
  });

  it('with nothing pending, disconnects at once', async () => {
    const h = harness();
    const connection = await connected(h);
    await h.client.close();
    expect(connection.sent).toEqual([{ type: 'disconnect' }]);
    expect(h.client.state.getSnapshot().status).toBe('closed');
  });

  it('a connection lost while waiting ends the close: no reconnect, pending publishes rejected', async () => {
    const h = harness();
    const connection = await connected(h);
    const publish = outcome(h.client.publish('t', 'x', { qos: 1 }));
    const closed = outcome(h.client.close());
    connection.drop();
    await settle();
    expect(closed.value).toBe('resolved');
    expect(publish.value).toBeInstanceOf(ClientClosedError);
    h.clock.advance(60_000);
    await settle();
    expect(h.network.connections).toHaveLength(1);
    expect(h.client.state.getSnapshot().status).toBe('closed');
  });

  it('while reconnecting, closes at once and opens nothing more', async () => {
    const h = harness();
    const connection = await connected(h);
    connection.drop();
    const queued = outcome(h.client.publish('t', 'x', { qos: 1 }));
    await h.client.close();
    await settle();
    expect(queued.value).toBeInstanceOf(ClientClosedError);
    h.clock.advance(60_000);
    await settle();
    expect(h.network.connections).toHaveLength(1);
  });

  it('calling close() again returns the same promise; close({ force: true }) cuts the wait short', async () => {
    const h = harness();
    const connection = await connected(h);
    const publish = outcome(h.client.publish('t', 'x', { qos: 1 }));
    const graceful = h.client.close();
    expect(h.client.close()).toBe(graceful);
    const closed = outcome(graceful);
    await h.client.close({ force: true });
    await settle();
    expect(closed.value).toBe('resolved');
    expect(publish.value).toBeInstanceOf(ClientClosedError);
    expect(connection.sent.at(-1)).toEqual({ type: 'disconnect' });
  });
});

describe('close({ force: true })', () => {
  it('sends DISCONNECT at once and rejects every pending publish with ClientClosedError', async () => {
    const h = harness();
    const connection = await connected(h);
    const inflight = h.client.publish('t', 'x', { qos: 2 });
    await h.client.close({ force: true });
    await expect(inflight).rejects.toBeInstanceOf(ClientClosedError);
    expect(types(connection.sent)).toEqual(['publish', 'disconnect']);
    expect(connection.closed).toBe(true);
  });

  it('timeoutMs: 0 is the same as force', async () => {
    const h = harness();
    await connected(h);
    const inflight = h.client.publish('t', 'x', { qos: 1 });
    await h.client.close({ timeoutMs: 0 });
    await expect(inflight).rejects.toBeInstanceOf(ClientClosedError);
  });
});
