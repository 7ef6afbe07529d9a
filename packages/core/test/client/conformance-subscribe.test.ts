/** Conformance of SUBSCRIBE as the client builds it, and its robustness against the server's limits. */
import { describe, expect, it } from 'vitest';
import { accepted, connected, harness, reconnected } from './harness.ts';

describe('SUBSCRIBE options the server must not see', () => {
  for (const when of ['connected', 'before CONNACK'] as const) {
    it(`[MQTT-3.8.3-4] noLocal on a shared subscription (${when}) rejects ready, is never sent, and leaves the filter free`, async () => {
      const h = harness();
      const connection = when === 'connected' ? await connected(h) : undefined;
      const refused = h.client.subscribe('$share/g/t', () => {}, { noLocal: true });
      const live = connection ?? (await accepted(h));
      await expect(refused.ready).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(h.client.state.getSnapshot().status).toBe('connected');
      expect(live.ofType('subscribe')).toHaveLength(0);
      // The same filter with valid options subscribes normally.
      const retry = h.client.subscribe('$share/g/t', () => {});
      const [subscribe] = live.ofType('subscribe');
      expect(subscribe?.subscriptions).toEqual([{ filter: '$share/g/t', qos: 0 }]);
      live.deliver({ type: 'suback', packetId: subscribe!.packetId, reasonCodes: [0] });
      await expect(retry.ready).resolves.toBe(0);
    });
  }

  it('[MQTT-3.8.2] a subscription identifier of 0 rejects ready and is never sent', async () => {
    const h = harness();
    const connection = await connected(h);
    const refused = h.client.subscribe('t', () => {}, { subscriptionIdentifier: 0 });
    await expect(refused.ready).rejects.toThrow(/subscriptionIdentifier/);
    expect(connection.ofType('subscribe')).toHaveLength(0);
  });
});

describe('Maximum Packet Size and SUBSCRIBE', () => {
  it('[MQTT-3.2.2-15] a SUBSCRIBE too large for the server rejects its ready promise; the connection and other subscriptions go on', async () => {
    const h = harness();
    const long = h.client.subscribe(`x/${'y'.repeat(200)}`, () => {});
    const short = h.client.subscribe('s', () => {});
    const connection = await accepted(h, { properties: { maximumPacketSize: 64 } });
    expect(h.client.state.getSnapshot().status).toBe('connected');
    await expect(long.ready).rejects.toMatchObject({ reasonCode: 0x95 });
    expect(connection.ofType('subscribe').map((p) => p.subscriptions[0]?.filter)).toEqual(['s']);
    connection.deliver({ type: 'suback', packetId: connection.ofType('subscribe')[0]!.packetId, reasonCodes: [0] });
    await expect(short.ready).resolves.toBe(0);
  });
});

describe('Maximum Packet Size and UNSUBSCRIBE', () => {
  it('[MQTT-3.2.2-15] an UNSUBSCRIBE too large for the server it reconnects to is not sent and does not break the CONNACK', async () => {
    const h = harness({ sessionExpiryInterval: 600 });
    const first = await connected(h);
    const filter = `x/${'y'.repeat(200)}`;
    const leave = h.client.subscribe(filter, () => {});
    const stay = h.client.subscribe('s', () => {});
    for (const subscribe of first.ofType('subscribe')) first.deliver({ type: 'suback', packetId: subscribe.packetId, reasonCodes: [0] });
    await Promise.all([leave.ready, stay.ready]);
    first.drop();
    leave();
    h.clock.advance(0);
    const second = await reconnected(h, { sessionPresent: true, properties: { maximumPacketSize: 64 } });
    expect(h.client.state.getSnapshot().status).toBe('connected');
    expect(second.ofType('unsubscribe')).toHaveLength(0);
    h.client.subscribe('t', () => {});
    expect(second.ofType('subscribe')).toHaveLength(1);
  });
});

describe('response topics', () => {
  it('[MQTT-3.3.2-14] a publish whose Response Topic has a wildcard is refused, never sent', async () => {
    const h = harness();
    const connection = await connected(h);
    await expect(h.client.publish('t', 'x', { properties: { responseTopic: 'reply/#' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(connection.ofType('publish')).toHaveLength(0);
  });
});
