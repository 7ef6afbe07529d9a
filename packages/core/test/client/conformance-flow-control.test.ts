/** Conformance of outgoing QoS 1/2 flows across reconnects: the server's limits of each new connection apply. */
import { describe, expect, it } from 'vitest';
import { PublishError } from '../../src/client/errors.ts';
import { MemoryMessageStore } from '../../src/client/memory-store.ts';
import { settle } from './fakes.ts';
import { accepted, connected, harness, reconnected } from './harness.ts';

const decoder = new TextDecoder();
const payloads = (packets: { payload: Uint8Array }[]): string[] => packets.map((p) => decoder.decode(p.payload));

/** How a promise ended, read after `settle()`: a promise that never settles fails the test instead of hanging it. */
function outcome(promise: Promise<unknown>): { current: 'pending' | 'resolved' | unknown } {
  const result: { current: unknown } = { current: 'pending' };
  promise.then(
    () => (result.current = 'resolved'),
    (error: unknown) => (result.current = error),
  );
  return result;
}

describe('Receive Maximum across reconnects', () => {
  it('[MQTT-3.3.4-7] a reconnect that lowers Receive Maximum re-sends only that many; the rest follow as acknowledgements free room', async () => {
    const h = harness({ clean: false, sessionExpiryInterval: 600 });
    const first = await connected(h, { properties: { receiveMaximum: 10 } });
    for (let i = 0; i < 5; i++) void h.client.publish('t', `${i}`, { qos: 1 });
    expect(first.ofType('publish')).toHaveLength(5);
    first.drop();
    const second = await reconnected(h, { sessionPresent: true, properties: { receiveMaximum: 2 } });
    let resent = second.ofType('publish');
    expect(payloads(resent)).toEqual(['0', '1']);
    expect(resent.every((p) => p.dup)).toBe(true);
    second.deliver({ type: 'puback', packetId: resent[0]!.packetId! });
    resent = second.ofType('publish');
    expect(payloads(resent)).toEqual(['0', '1', '2']);
    // Still a resend of the same message: same id, DUP set.
    expect(resent[2]).toMatchObject({ dup: true, packetId: first.ofType('publish')[2]!.packetId });
    second.deliver({ type: 'puback', packetId: resent[1]!.packetId! });
    second.deliver({ type: 'puback', packetId: resent[2]!.packetId! });
    expect(payloads(second.ofType('publish'))).toEqual(['0', '1', '2', '3', '4']);
  });

  it('[MQTT-3.3.4-7] a PUBREL awaiting PUBCOMP still counts against the lowered window', async () => {
    const h = harness({ clean: false, sessionExpiryInterval: 600 });
    const first = await connected(h);
    void h.client.publish('t', 'a', { qos: 2 });
    void h.client.publish('t', 'b', { qos: 1 });
    first.deliver({ type: 'pubrec', packetId: first.ofType('publish')[0]!.packetId! });
    first.drop();
    const second = await reconnected(h, { sessionPresent: true, properties: { receiveMaximum: 1 } });
    expect(second.sent.map((p) => p.type)).toEqual(['connect', 'pubrel']);
    second.deliver({ type: 'pubcomp', packetId: second.ofType('pubrel')[0]!.packetId });
    expect(payloads(second.ofType('publish'))).toEqual(['b']);
  });
});

describe('packet identifiers across reconnects', () => {
  it('[MQTT-2.2.1-3] a publish or subscribe made after a reconnect never takes an id still in flight from before it', async () => {
    const h = harness({ clean: false, sessionExpiryInterval: 600 });
    const first = await connected(h);
    void h.client.publish('t', 'a', { qos: 1 });
    void h.client.publish('t', 'b', { qos: 2 });
    first.deliver({ type: 'pubrec', packetId: first.ofType('publish')[1]!.packetId! });
    const held = first.ofType('publish').map((p) => p.packetId);
    first.drop();
    const second = await reconnected(h, { sessionPresent: true });
    for (let i = 0; i < 10; i++) void h.client.publish('t', `n${i}`, { qos: 1 });
    h.client.subscribe('s', () => {});
    const fresh = second.sent.flatMap((p) => (p.type === 'publish' && !p.dup) || p.type === 'subscribe' ? [p.packetId] : []);
    expect(fresh).toHaveLength(11);
    expect(new Set(fresh).size).toBe(11);
    for (const id of held) expect(fresh).not.toContain(id);
  });
});

describe('Maximum QoS and Retain Available apply to what waited for the connection', () => {
  it('[MQTT-3.2.2-11] a QoS 2 publish queued before CONNACK is refused with 0x9b, not sent, when the server allows QoS 1', async () => {
    const h = harness();
    const refused = outcome(h.client.publish('t', 'x', { qos: 2 }));
    const ok = outcome(h.client.publish('t', 'y', { qos: 1 }));
    const connection = await accepted(h, { properties: { maximumQoS: 1 } });
    expect(refused.current).toBeInstanceOf(PublishError);
    expect(refused.current).toMatchObject({ reasonCode: 0x9b });
    expect(payloads(connection.ofType('publish'))).toEqual(['y']);
    connection.deliver({ type: 'puback', packetId: connection.ofType('publish')[0]!.packetId! });
    await settle();
    expect(ok.current).toBe('resolved');
  });

  it('[MQTT-3.2.2-14] a retained publish queued before CONNACK is refused with 0x9a when Retain Available is 0', async () => {
    const h = harness();
    const refused = outcome(h.client.publish('t', 'x', { retain: true }));
    const connection = await accepted(h, { properties: { retainAvailable: 0 } });
    expect(refused.current).toMatchObject({ reasonCode: 0x9a });
    expect(connection.ofType('publish')).toHaveLength(0);
    expect(h.client.state.getSnapshot().queued).toBe(0);
  });

  it('[MQTT-3.2.2-11] an in-flight QoS 2 publish is not re-sent at QoS 2 to a server that now allows QoS 1', async () => {
    const h = harness({ clean: false, sessionExpiryInterval: 600 });
    const first = await connected(h);
    const refused = outcome(h.client.publish('t', 'x', { qos: 2 }));
    first.drop();
    const second = await reconnected(h, { sessionPresent: false, properties: { maximumQoS: 1 } });
    await settle();
    expect(refused.current).toMatchObject({ reasonCode: 0x9b });
    expect(second.ofType('publish')).toHaveLength(0);
  });
});

describe('Maximum Packet Size of a new connection', () => {
  it('[MQTT-3.2.2-15] an in-flight publish too large for the new server is rejected with 0x95, never sent; the connection carries on', async () => {
    const h = harness({ clean: false, sessionExpiryInterval: 600 });
    const first = await connected(h);
    const big = outcome(h.client.publish('t', new Uint8Array(500), { qos: 1 }));
    const small = outcome(h.client.publish('t', 'small', { qos: 1 }));
    first.drop();
    const second = await reconnected(h, { sessionPresent: true, properties: { maximumPacketSize: 100 } });
    await settle();
    expect(big.current).toMatchObject({ reasonCode: 0x95 });
    expect(h.client.state.getSnapshot().status).toBe('connected');
    const sent = second.ofType('publish');
    expect(payloads(sent)).toEqual(['small']);
    second.deliver({ type: 'puback', packetId: sent[0]!.packetId! });
    await settle();
    expect(small.current).toBe('resolved');
  });
});

describe('our Receive Maximum', () => {
  const qos2 = (packetId: number, dup = false) =>
    ({ type: 'publish', topic: 'in', payload: new Uint8Array([packetId]), qos: 2, retain: false, dup, packetId }) as const;

  it('[MQTT-3.3.4-9] 5.0: more unreleased QoS 2 messages than our receiveMaximum disconnect with 0x93; the extra one arrives after the reconnect', async () => {
    const h = harness({ sessionExpiryInterval: 600, properties: { receiveMaximum: 2 } });
    const first = await connected(h);
    const received: number[] = [];
    h.client.subscribe('in', (m) => received.push(m.payload[0]!));
    for (const id of [1, 2]) first.deliver(qos2(id));
    first.deliver({ type: 'pubrel', packetId: 1 });
    first.deliver(qos2(3)); // 2 and 3 unreleased: within the window
    expect(first.closed).toBe(false);
    first.deliver(qos2(4)); // a third unreleased one
    expect(first.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x93 }]);
    expect(received).toEqual([1, 2, 3]);
    // The server re-sends in its original order: PUBREL for 2 and 3, then the PUBLISH we never acknowledged.
    const second = await reconnected(h, { sessionPresent: true });
    second.deliver({ type: 'pubrel', packetId: 2 });
    second.deliver({ type: 'pubrel', packetId: 3 });
    second.deliver(qos2(4, true));
    expect(received).toEqual([1, 2, 3, 4]);
    expect(second.ofType('pubrec').map((p) => p.packetId)).toEqual([4]);
    expect(second.closed).toBe(false);
  });

  it('QoS 1 messages do not count: they are acknowledged as they arrive', async () => {
    const h = harness({ properties: { receiveMaximum: 1 } });
    const connection = await connected(h);
    for (const packetId of [1, 2, 3]) connection.deliver({ ...qos2(packetId), qos: 1 });
    expect(connection.closed).toBe(false);
    expect(connection.ofType('puback')).toHaveLength(3);
  });
});

describe('a re-send the new server refuses, with a message store', () => {
  it('[MQTT-3.2.2-11] the refused in-flight message leaves the store too, so a reload does not send it again', async () => {
    const store = new MemoryMessageStore();
    const h = harness({ store, sessionExpiryInterval: 600 });
    const first = await connected(h);
    const refused = outcome(h.client.publish('t', 'x', { qos: 2 }));
    await settle();
    expect(await store.load()).toHaveLength(1);
    first.drop();
    await reconnected(h, { sessionPresent: false, properties: { maximumQoS: 1 } });
    await settle();
    expect(refused.current).toMatchObject({ reasonCode: 0x9b });
    expect(await store.load()).toEqual([]);
  });
});
