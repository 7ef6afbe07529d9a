/** Conformance of acknowledgements both ways: ids echoed, unknown ids answered or ignored, order kept. */
import { describe, expect, it } from 'vitest';
import { settle } from './fakes.ts';
import { connected, harness, reconnected } from './harness.ts';

const inbound = { type: 'publish', payload: new Uint8Array([1]), retain: false, dup: false } as const;

describe('acknowledging what the server sends', () => {
  it('[MQTT-4.6.0-2] [MQTT-4.6.0-3] answers PUBACK and PUBREC in the order the PUBLISHes arrived, each with its id', async () => {
    const h = harness();
    const connection = await connected(h);
    h.client.subscribe('#', () => {});
    connection.take();
    connection.deliver({ ...inbound, topic: 'a', qos: 1, packetId: 9 });
    connection.deliver({ ...inbound, topic: 'b', qos: 2, packetId: 3 });
    connection.deliver({ ...inbound, topic: 'c', qos: 1, packetId: 5 });
    expect(connection.sent).toEqual([
      { type: 'puback', packetId: 9 },
      { type: 'pubrec', packetId: 3 },
      { type: 'puback', packetId: 5 },
    ]);
  });

  it('[MQTT-2.2.1-5] 5.0: a PUBREL for an id we never received is answered PUBCOMP 0x92', async () => {
    const h = harness();
    const connection = await connected(h);
    connection.deliver({ type: 'pubrel', packetId: 77 });
    expect(connection.sent).toEqual([{ type: 'pubcomp', packetId: 77, reasonCode: 0x92 }]);
    expect(connection.closed).toBe(false);
  });

  it('[MQTT-2.2.1-5] 3.1.1: a PUBREL for an unknown id is still answered PUBCOMP (no reason codes there)', async () => {
    const h = harness({ protocolVersion: 4 });
    const connection = await connected(h);
    connection.deliver({ type: 'pubrel', packetId: 77 });
    expect(connection.sent).toEqual([{ type: 'pubcomp', packetId: 77 }]);
  });
});

describe('acknowledgements of what we sent', () => {
  it('[MQTT-2.2.1-5] a PUBACK or PUBCOMP for an id not in flight is ignored; the real one still settles the publish', async () => {
    const h = harness();
    const connection = await connected(h);
    let done = false;
    void h.client.publish('t', 'x', { qos: 1 }).then(() => (done = true));
    const [publish] = connection.ofType('publish');
    connection.deliver({ type: 'puback', packetId: publish!.packetId! + 1 });
    connection.deliver({ type: 'pubcomp', packetId: publish!.packetId! + 2 });
    await settle();
    expect(done).toBe(false);
    expect(connection.closed).toBe(false);
    connection.deliver({ type: 'puback', packetId: publish!.packetId! });
    await settle();
    expect(done).toBe(true);
  });

  for (const [qos, wrong] of [
    [1, 'pubrec'],
    [1, 'pubcomp'],
    [2, 'puback'],
  ] as const) {
    it(`[MQTT-3.3.4-1] 5.0: a ${wrong} answering a QoS ${qos} publish is a protocol error; the publish stays in flight and is re-sent`, async () => {
      const h = harness({ protocolVersion: 5, sessionExpiryInterval: 600 });
      const first = await connected(h);
      let settled = false;
      void h.client.publish('t', 'x', { qos }).then(() => (settled = true), () => (settled = true));
      const [publish] = first.ofType('publish');
      first.deliver({ type: wrong, packetId: publish!.packetId! });
      await settle();
      expect(first.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x82 }]);
      expect(first.ofType('pubrel')).toHaveLength(0);
      expect(settled).toBe(false);
      const second = await reconnected(h, { sessionPresent: true });
      expect(second.ofType('publish')).toEqual([{ ...publish, dup: true }]);
    });
  }

  it('3.1.1: a PUBACK answering a QoS 2 publish ends it (RabbitMQ 3.x downgrades QoS 2 to 1); a PUBREC for QoS 1 does not', async () => {
    const h = harness({ protocolVersion: 4 });
    const connection = await connected(h);
    let settled: unknown = 'pending';
    void h.client.publish('t', 'x', { qos: 2 }).then(() => (settled = 'resolved'), (error: unknown) => (settled = error));
    const [publish] = connection.ofType('publish');
    connection.deliver({ type: 'puback', packetId: publish!.packetId! });
    await settle();
    expect(settled).toBe('resolved');
    expect(connection.closed).toBe(false);
    expect(h.client.state.getSnapshot().queued).toBe(0);
    void h.client.publish('t', 'y', { qos: 1 });
    const [, second] = connection.ofType('publish');
    connection.deliver({ type: 'pubrec', packetId: second!.packetId! });
    await settle();
    expect(connection.closed).toBe(true);
    expect(connection.ofType('pubrel')).toHaveLength(0);
  });

  it('[MQTT-2.2.1-5] 5.0: a PUBREC for an unknown id gets PUBREL 0x92 so the server can finish its side', async () => {
    const h = harness();
    const connection = await connected(h);
    connection.deliver({ type: 'pubrec', packetId: 41 });
    expect(connection.sent).toEqual([{ type: 'pubrel', packetId: 41, reasonCode: 0x92 }]);
  });

  it('[MQTT-3.3.4-6] a publish carrying a Subscription Identifier is refused, never sent', async () => {
    const h = harness();
    const connection = await connected(h);
    const error = await h.client.publish('t', 'x', { properties: { subscriptionIdentifier: [1] } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'properties.subscriptionIdentifier' });
    expect(connection.ofType('publish')).toHaveLength(0);
  });

  it('[MQTT-3.3.1-2] QoS 0 PUBLISH goes out with DUP 0 and no packet id, also when it waited across a reconnect', async () => {
    const h = harness({ sessionExpiryInterval: 600 });
    const first = await connected(h);
    await h.client.publish('t', 'now');
    first.drop();
    void h.client.publish('t', 'later');
    const second = await reconnected(h, { sessionPresent: true });
    for (const publish of [...first.ofType('publish'), ...second.ofType('publish')]) {
      expect(publish).toMatchObject({ qos: 0, dup: false });
      expect(publish.packetId).toBeUndefined();
    }
    expect(second.ofType('publish')).toHaveLength(1);
  });

  it('[MQTT-3.3.4-8] a full Receive Maximum window holds back PUBLISHes only: SUBSCRIBE and PUBACK still go out', async () => {
    const h = harness();
    const connection = await connected(h, { properties: { receiveMaximum: 1 } });
    void h.client.publish('t', '1', { qos: 1 });
    void h.client.publish('t', '2', { qos: 1 });
    h.client.subscribe('s', () => {});
    connection.deliver({ ...inbound, topic: 's', qos: 1, packetId: 4 });
    expect(connection.sent.map((p) => p.type)).toEqual(['publish', 'subscribe', 'puback']);
  });
});
