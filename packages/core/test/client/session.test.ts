/** Outgoing QoS 1/2 flows: packet ids, the Receive Maximum window, resend after reconnect, PUBREL resend. */
import { describe, expect, it } from 'vitest';
import { PacketIds } from '../../src/client/packet-ids.ts';
import { PublishError } from '../../src/client/errors.ts';
import { settle } from './fakes.ts';
import { connected, harness, reconnected } from './harness.ts';

describe('packet ids', () => {
  it('[MQTT-2.2.1-3] never hands out an id still in flight, even after wrapping around 65,535', () => {
    const ids = new PacketIds();
    const held = ids.allocate();
    expect(held).toBe(1);
    for (let i = 2; i <= 65_535; i++) ids.release(ids.allocate());
    // The counter wrapped: 1 is still held, so the next id skips it.
    expect(ids.allocate()).toBe(2);
  });

  it('throws a clear error when all ids are in flight', () => {
    const ids = new PacketIds();
    for (let i = 0; i < 65_535; i++) ids.allocate();
    expect(() => ids.allocate()).toThrow(/65,535 packet identifiers/);
  });

  it('[MQTT-2.2.1-3] concurrent QoS 1 publishes and subscribes get distinct ids', async () => {
    const h = harness();
    const connection = await connected(h);
    void h.client.publish('a', 'x', { qos: 1 });
    void h.client.publish('a', 'y', { qos: 2 });
    h.client.subscribe('b', () => {});
    const ids = connection.sent.map((packet) => ('packetId' in packet ? packet.packetId : undefined));
    expect(new Set(ids).size).toBe(3);
    expect(ids).not.toContain(undefined);
  });
});

describe('publish arguments', () => {
  it('a QoS other than 0, 1 or 2 rejects with InvalidArgumentError naming qos, and nothing is sent or queued', async () => {
    const h = harness();
    const connection = await connected(h);
    for (const qos of [3, -1, 1.5, '1'] as unknown as 0[]) {
      await expect(h.client.publish('t', 'x', { qos })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'qos' });
    }
    expect(connection.ofType('publish')).toHaveLength(0);
    expect(h.client.state.getSnapshot().queued).toBe(0);
  });
});

describe('Receive Maximum', () => {
  it('[MQTT-4.9.0-2] keeps at most receiveMaximum QoS 1/2 publishes in flight; the rest wait in order', async () => {
    const h = harness();
    const connection = await connected(h, { properties: { receiveMaximum: 2 } });
    const done: number[] = [];
    for (let i = 0; i < 5; i++) void h.client.publish('t', `${i}`, { qos: i % 2 === 0 ? 1 : 2 }).then(() => done.push(i));
    let published = connection.ofType('publish');
    expect(published.map((p) => new TextDecoder().decode(p.payload))).toEqual(['0', '1']);
    await settle(); // the queued count is published once per tick
    expect(h.client.state.getSnapshot().queued).toBe(5);

    connection.deliver({ type: 'puback', packetId: published[0]!.packetId! });
    published = connection.ofType('publish');
    expect(published.map((p) => new TextDecoder().decode(p.payload))).toEqual(['0', '1', '2']);
    // PUBREC does not free the slot: a QoS 2 flow counts until PUBCOMP.
    connection.deliver({ type: 'pubrec', packetId: published[1]!.packetId! });
    expect(connection.ofType('publish')).toHaveLength(3);
    expect(connection.ofType('pubrel').map((p) => p.packetId)).toEqual([published[1]!.packetId]);
    connection.deliver({ type: 'pubcomp', packetId: published[1]!.packetId! });
    expect(connection.ofType('publish')).toHaveLength(4);
    await settle();
    expect(done).toEqual([0, 1]);
  });

  it('at 3.1.1 (no Receive Maximum on the wire) keeps 20 in flight by default, or maxInflight', async () => {
    const h = harness({ protocolVersion: 4 });
    const connection = await connected(h);
    for (let i = 0; i < 30; i++) void h.client.publish('t', `${i}`, { qos: 1 });
    expect(connection.ofType('publish')).toHaveLength(20);
    const tight = harness({ maxInflight: 3 });
    const c5 = await connected(tight, { properties: { receiveMaximum: 10 } });
    for (let i = 0; i < 30; i++) void tight.client.publish('t', `${i}`, { qos: 2 });
    expect(c5.ofType('publish')).toHaveLength(3);
  });

  it('QoS 0 publishes queued behind a full window keep their order', async () => {
    const h = harness();
    const connection = await connected(h, { properties: { receiveMaximum: 1 } });
    void h.client.publish('t', 'a', { qos: 1 });
    void h.client.publish('t', 'b', { qos: 1 });
    void h.client.publish('t', 'c', { qos: 0 });
    expect(connection.ofType('publish')).toHaveLength(1);
    connection.deliver({ type: 'puback', packetId: connection.ofType('publish')[0]!.packetId! });
    connection.deliver({ type: 'puback', packetId: connection.ofType('publish')[1]!.packetId! });
    expect(connection.ofType('publish').map((p) => new TextDecoder().decode(p.payload))).toEqual(['a', 'b', 'c']);
  });
});

describe('acknowledgements', () => {
  it('resolves QoS 1 on PUBACK and QoS 2 on PUBCOMP, not before', async () => {
    const h = harness();
    const connection = await connected(h);
    let one = false;
    let two = false;
    void h.client.publish('t', '1', { qos: 1 }).then(() => (one = true));
    void h.client.publish('t', '2', { qos: 2 }).then(() => (two = true));
    const [p1, p2] = connection.ofType('publish');
    await settle();
    expect([one, two]).toEqual([false, false]);
    connection.deliver({ type: 'puback', packetId: p1!.packetId! });
    connection.deliver({ type: 'pubrec', packetId: p2!.packetId! });
    await settle();
    expect([one, two]).toEqual([true, false]);
    connection.deliver({ type: 'pubcomp', packetId: p2!.packetId! });
    await settle();
    expect(two).toBe(true);
  });

  it('[MQTT-3.4.2-1] rejects with PublishError carrying the 5.0 reason code of a failed PUBACK', async () => {
    const h = harness();
    const connection = await connected(h);
    const result = h.client.publish('t', 'x', { qos: 1 });
    connection.deliver({ type: 'puback', packetId: connection.ofType('publish')[0]!.packetId!, reasonCode: 0x87 });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).reasonCode).toBe(0x87);
    expect((error as PublishError).message).toMatch(/not authorized/);
  });

  it('[MQTT-4.3.3-4] a failed PUBREC ends the QoS 2 flow without PUBREL', async () => {
    const h = harness();
    const connection = await connected(h);
    const result = h.client.publish('t', 'x', { qos: 2 });
    connection.deliver({ type: 'pubrec', packetId: connection.ofType('publish')[0]!.packetId!, reasonCode: 0x97 });
    await expect(result).rejects.toMatchObject({ reasonCode: 0x97 });
    expect(connection.ofType('pubrel')).toHaveLength(0);
    await settle(); // the queued count is published once per tick
    expect(h.client.state.getSnapshot().queued).toBe(0);
  });
});

describe('resend after reconnect', () => {
  it('[MQTT-4.4.0-1] with the session present: re-sends unacknowledged PUBLISH with DUP and the same id, and PUBREL, in order', async () => {
    const h = harness({ clean: false, protocolVersion: 4 });
    const first = await connected(h);
    const results = [h.client.publish('t', 'a', { qos: 1 }), h.client.publish('t', 'b', { qos: 2 }), h.client.publish('t', 'c', { qos: 2 })];
    const [a, b, c] = first.ofType('publish');
    first.deliver({ type: 'pubrec', packetId: b!.packetId! });
    first.drop();
    const second = await reconnected(h, { sessionPresent: true });
    const resent = second.sent.filter((p) => p.type !== 'connect');
    expect(resent).toEqual([
      { ...a, dup: true },
      { type: 'pubrel', packetId: b!.packetId },
      { ...c, dup: true },
    ]);
    second.deliver({ type: 'puback', packetId: a!.packetId! });
    second.deliver({ type: 'pubcomp', packetId: b!.packetId! });
    second.deliver({ type: 'pubrec', packetId: c!.packetId! });
    second.deliver({ type: 'pubcomp', packetId: c!.packetId! });
    await expect(Promise.all(results)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('without the session: publishes again (no DUP), keeps every promise pending until acknowledged, flags sessionLost', async () => {
    const h = harness({ clean: false, protocolVersion: 4 });
    const first = await connected(h);
    const result = h.client.publish('t', 'a', { qos: 1 });
    first.drop();
    const second = await reconnected(h, { sessionPresent: false });
    const [again] = second.ofType('publish');
    expect(again).toMatchObject({ topic: 't', qos: 1, dup: false });
    expect(h.client.state.getSnapshot().sessionLost).toBe(true);
    second.deliver({ type: 'puback', packetId: again!.packetId! });
    await expect(result).resolves.toBeUndefined();
  });

  it('[MQTT-4.3.3] 5.0: PUBCOMP 0x92 after a resent PUBREL resolves the publish (the server had finished it)', async () => {
    const h = harness({ clean: false, protocolVersion: 5, sessionExpiryInterval: 60 });
    const first = await connected(h);
    const result = h.client.publish('t', 'q2', { qos: 2 });
    const [sent] = first.ofType('publish');
    first.deliver({ type: 'pubrec', packetId: sent!.packetId! });
    first.drop();
    const second = await reconnected(h, { sessionPresent: true });
    expect(second.ofType('pubrel').map((p) => p.packetId)).toEqual([sent!.packetId]);
    second.deliver({ type: 'pubcomp', packetId: sent!.packetId!, reasonCode: 0x92 });
    await expect(result).resolves.toBeUndefined();
  });

  it('5.0: PUBCOMP 0x92 for a publish never PUBREC\'d still rejects with PublishError', async () => {
    const h = harness({ protocolVersion: 5 });
    const connection = await connected(h);
    const result = h.client.publish('t', 'q2', { qos: 2 });
    const [sent] = connection.ofType('publish');
    connection.deliver({ type: 'pubcomp', packetId: sent!.packetId!, reasonCode: 0x92 });
    await expect(result).rejects.toMatchObject({ reasonCode: 0x92 });
  });

  it('publishes made while disconnected go out after the resend, in order', async () => {
    const h = harness({ clean: false, protocolVersion: 4 });
    const first = await connected(h);
    void h.client.publish('t', 'inflight', { qos: 1 });
    first.drop();
    void h.client.publish('t', 'offline-1', { qos: 1 });
    void h.client.publish('t', 'offline-2', { qos: 0 });
    await settle(); // the queued count is published once per tick
    expect(h.client.state.getSnapshot().queued).toBe(3);
    const second = await reconnected(h, { sessionPresent: true });
    expect(second.ofType('publish').map((p) => new TextDecoder().decode(p.payload))).toEqual(['inflight', 'offline-1', 'offline-2']);
  });
});

describe('inbound QoS 2', () => {
  it('[MQTT-4.3.3-10] delivers once however often the server re-sends before PUBREL, and again after PUBREL frees the id', async () => {
    const h = harness();
    const connection = await connected(h);
    const got: string[] = [];
    h.client.subscribe('t', (m) => got.push(new TextDecoder().decode(m.payload)));
    const publish = { type: 'publish', topic: 't', payload: new TextEncoder().encode('x'), qos: 2, retain: false, dup: false, packetId: 7 } as const;
    connection.deliver(publish);
    connection.deliver({ ...publish, dup: true });
    expect(got).toEqual(['x']);
    expect(connection.ofType('pubrec').map((p) => p.packetId)).toEqual([7, 7]);
    connection.deliver({ type: 'pubrel', packetId: 7 });
    expect(connection.ofType('pubcomp')).toEqual([{ type: 'pubcomp', packetId: 7 }]);
    connection.deliver(publish);
    expect(got).toEqual(['x', 'x']);
  });

  it('[MQTT-4.3.3-10] an id held across a reconnect with the session present is still not delivered twice', async () => {
    const h = harness({ clean: false, protocolVersion: 4 });
    const first = await connected(h);
    const got: string[] = [];
    h.client.subscribe('t', (m) => got.push(new TextDecoder().decode(m.payload)));
    const publish = { type: 'publish', topic: 't', payload: new TextEncoder().encode('x'), qos: 2, retain: false, dup: false, packetId: 9 } as const;
    first.deliver(publish);
    first.drop();
    const second = await reconnected(h, { sessionPresent: true });
    second.deliver({ ...publish, dup: true });
    expect(got).toEqual(['x']);
    expect(second.ofType('pubrec')).toHaveLength(1);
  });

  it('[MQTT-4.3.2-4] answers QoS 1 with PUBACK after delivering it', async () => {
    const h = harness();
    const connection = await connected(h);
    let seen = 0;
    h.client.subscribe('t', () => seen++);
    connection.deliver({ type: 'publish', topic: 't', payload: new Uint8Array(), qos: 1, retain: false, dup: false, packetId: 3 });
    expect(seen).toBe(1);
    expect(connection.ofType('puback')).toEqual([{ type: 'puback', packetId: 3 }]);
  });
});
