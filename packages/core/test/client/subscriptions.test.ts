/** Ref-counted subscriptions: one SUBSCRIBE per filter, local dispatch, SUBACK failures, re-subscribe, last-message cache. */
import { describe, expect, it } from 'vitest';
import { SubscribeError } from '../../src/client/errors.ts';
import type { Message } from '../../src/client/types.ts';
import type { PublishPacket } from '../../src/codec/packets.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { settle } from './fakes.ts';
import { connected, harness, reconnected } from './harness.ts';

const encoder = new TextEncoder();
function publish(topic: string, payload: string, extra: Partial<PublishPacket> = {}): PublishPacket {
  return { type: 'publish', topic, payload: encoder.encode(payload), qos: 0, retain: false, dup: false, ...extra };
}
const topics = (messages: Message[]) => messages.map((m) => m.topic);

describe('reference counting', () => {
  it('sends one SUBSCRIBE per distinct filter however many handlers, and UNSUBSCRIBE when the last one leaves', async () => {
    const h = harness();
    const connection = await connected(h);
    const a = h.client.subscribe('home/+/temp', () => {});
    const b = h.client.subscribe('home/+/temp', () => {});
    expect(connection.ofType('subscribe')).toHaveLength(1);
    const { packetId } = connection.ofType('subscribe')[0]!;
    connection.deliver({ type: 'suback', packetId, reasonCodes: [1] });
    expect(await a.ready).toBe(1);
    expect(await b.ready).toBe(1);
    a();
    a();
    h.clock.advance(1_000);
    expect(connection.ofType('unsubscribe')).toHaveLength(0);
    b();
    h.clock.advance(0);
    expect(connection.ofType('unsubscribe')).toEqual([{ type: 'unsubscribe', packetId: expect.any(Number), filters: ['home/+/temp'] }]);
  });

  it('keeps the subscription when a handler leaves and another arrives within unsubscribeDelay (unmount, remount)', async () => {
    const h = harness({ unsubscribeDelay: 100 });
    const connection = await connected(h);
    const first = h.client.subscribe('a', () => {});
    first();
    h.clock.advance(50);
    h.client.subscribe('a', () => {});
    h.clock.advance(1_000);
    expect(connection.ofType('subscribe')).toHaveLength(1);
    expect(connection.ofType('unsubscribe')).toHaveLength(0);
  });

  it('delivers to each handler only what its filter matches, once per handler', async () => {
    const h = harness();
    const connection = await connected(h);
    const all: Message[] = [];
    const kitchen: Message[] = [];
    const temps: Message[] = [];
    h.client.subscribe('home/#', (m) => all.push(m));
    h.client.subscribe('home/kitchen/+', (m) => kitchen.push(m));
    h.client.subscribe('home/+/temp', (m) => temps.push(m));
    connection.deliver(publish('home/kitchen/temp', '21'));
    connection.deliver(publish('home/hall/temp', '19'));
    connection.deliver(publish('home/kitchen/light', 'on'));
    connection.deliver(publish('office/kitchen/temp', '18'));
    expect(topics(all)).toEqual(['home/kitchen/temp', 'home/hall/temp', 'home/kitchen/light']);
    expect(topics(kitchen)).toEqual(['home/kitchen/temp', 'home/kitchen/light']);
    expect(topics(temps)).toEqual(['home/kitchen/temp', 'home/hall/temp']);
  });

  it('[MQTT-3.3.4-3] 5.0: overlapping filters get their own subscription identifiers, so each copy the server sends reaches only its handlers', async () => {
    const h = harness();
    const connection = await connected(h);
    const temps: string[] = [];
    const all: string[] = [];
    h.client.subscribe('home/+/temp', (m) => temps.push(m.topic));
    h.client.subscribe('home/#', (m) => all.push(m.topic));
    const [a, b] = connection.ofType('subscribe').map((s) => s.properties?.subscriptionIdentifier?.[0]);
    expect(a).toBeGreaterThan(0);
    expect(b).not.toBe(a);
    // mosquitto sends one copy per matching subscription, each with that subscription's identifier.
    connection.deliver(publish('home/kitchen/temp', '21', { properties: { subscriptionIdentifier: [a!] } }));
    connection.deliver(publish('home/kitchen/temp', '21', { properties: { subscriptionIdentifier: [b!] } }));
    expect(temps).toEqual(['home/kitchen/temp']);
    expect(all).toEqual(['home/kitchen/temp']);
  });

  it('5.0: one subscriptionIdentifier given to two filters tags copies for both, yet each handler gets only what its filter matches', async () => {
    const h = harness();
    const connection = await connected(h);
    const kitchen: string[] = [];
    const hall: string[] = [];
    h.client.subscribe('home/kitchen/#', (m) => kitchen.push(m.topic), { subscriptionIdentifier: 42 });
    h.client.subscribe('home/hall/#', (m) => hall.push(m.topic), { subscriptionIdentifier: 42 });
    connection.deliver(publish('home/kitchen/temp', '21', { properties: { subscriptionIdentifier: [42] } }));
    connection.deliver(publish('home/hall/temp', '19', { properties: { subscriptionIdentifier: [42] } }));
    expect(kitchen).toEqual(['home/kitchen/temp']);
    expect(hall).toEqual(['home/hall/temp']);
  });

  it('5.0: a copy tagged only with identifiers this client does not know (a session from before a reload) reaches every matching filter', async () => {
    const h = harness();
    const connection = await connected(h);
    const got: string[] = [];
    h.client.subscribe('home/#', (m) => got.push(m.topic));
    connection.deliver(publish('home/kitchen/temp', '21', { properties: { subscriptionIdentifier: [9_999] } }));
    expect(got).toEqual(['home/kitchen/temp']);
  });

  it('[MQTT-4.7.2-1] a handler on # does not receive $-topics', async () => {
    const h = harness();
    const connection = await connected(h);
    const got: Message[] = [];
    h.client.subscribe('#', (m) => got.push(m));
    connection.deliver(publish('$SYS/uptime', '1'));
    connection.deliver(publish('a', '1'));
    expect(topics(got)).toEqual(['a']);
  });

  it('a throwing handler does not stop delivery to the others', async () => {
    const h = harness();
    const connection = await connected(h);
    const got: string[] = [];
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    try {
      h.client.subscribe('a', () => {
        throw new Error('handler bug');
      });
      h.client.subscribe('+', (m) => got.push(m.topic));
      connection.deliver(publish('a', '1'));
      await settle();
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(got).toEqual(['a']);
    expect(errors).toHaveLength(1);
  });

  it('throws InvalidArgumentError synchronously for an invalid filter', () => {
    const h = harness();
    expect(() => h.client.subscribe('a/#/b', () => {})).toThrow(InvalidArgumentError);
  });

  it('sends 5.0 subscription options and the subscription identifier; 3.1.1 gets none', async () => {
    const h = harness();
    const connection = await connected(h);
    h.client.subscribe('a', () => {}, { qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2, subscriptionIdentifier: 42 });
    expect(connection.ofType('subscribe')[0]).toMatchObject({
      subscriptions: [{ filter: 'a', qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 }],
      properties: { subscriptionIdentifier: [42] },
    });
    const v4 = harness({ protocolVersion: 4 });
    const c4 = await connected(v4);
    v4.client.subscribe('a', () => {}, { qos: 1, noLocal: true, subscriptionIdentifier: 42 });
    expect(c4.ofType('subscribe')[0]).toEqual({ type: 'subscribe', packetId: expect.any(Number), subscriptions: [{ filter: 'a', qos: 1 }] });
  });
});

describe('SUBACK failures', () => {
  it('[MQTT-3.9.3-2] rejects handle.ready with SubscribeError carrying the reason code; a later subscribe tries again', async () => {
    const h = harness();
    const connection = await connected(h);
    const handle = h.client.subscribe('secret/#', () => {});
    connection.deliver({ type: 'suback', packetId: connection.ofType('subscribe')[0]!.packetId, reasonCodes: [0x87] });
    const error = await handle.ready.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubscribeError);
    expect(error).toMatchObject({ reasonCode: 0x87, filter: 'secret/#' });
    h.client.subscribe('secret/#', () => {});
    expect(connection.ofType('subscribe')).toHaveLength(2);
  });

  it('a refusal nobody awaits is not an unhandled rejection', async () => {
    const h = harness({ protocolVersion: 4 });
    const connection = await connected(h);
    h.client.subscribe('x', () => {});
    connection.deliver({ type: 'suback', packetId: connection.ofType('subscribe')[0]!.packetId, reasonCodes: [0x80] });
    await settle();
  });
});

describe('reconnects', () => {
  it('[MQTT-3.2.2-1] without a session present re-subscribes every filter once; with it, sends no duplicate SUBSCRIBE', async () => {
    const h = harness({ clean: false, protocolVersion: 4 });
    const first = await connected(h);
    h.client.subscribe('a', () => {}, { qos: 1 });
    h.client.subscribe('a', () => {});
    h.client.subscribe('b', () => {});
    for (const s of first.ofType('subscribe')) first.deliver({ type: 'suback', packetId: s.packetId, reasonCodes: [0] });
    first.drop();
    const kept = await reconnected(h, { sessionPresent: true });
    expect(kept.ofType('subscribe')).toHaveLength(0);
    kept.drop();
    const lost = await reconnected(h, { sessionPresent: false });
    expect(lost.ofType('subscribe').map((s) => s.subscriptions)).toEqual([[{ filter: 'a', qos: 1 }], [{ filter: 'b', qos: 0 }]]);
  });

  it('subscribes made offline go out on connect; one whose SUBACK was lost is sent again even with the session', async () => {
    const h = harness({ clean: false, protocolVersion: 4 });
    const first = await connected(h);
    h.client.subscribe('pending', () => {});
    first.drop();
    h.client.subscribe('offline', () => {});
    const second = await reconnected(h, { sessionPresent: true });
    expect(second.ofType('subscribe').map((s) => s.subscriptions[0]?.filter)).toEqual(['pending', 'offline']);
  });

  it('a filter left while offline is unsubscribed on reconnect when the server kept the session', async () => {
    const h = harness({ clean: false, protocolVersion: 4 });
    const first = await connected(h);
    const handle = h.client.subscribe('a', () => {});
    first.deliver({ type: 'suback', packetId: first.ofType('subscribe')[0]!.packetId, reasonCodes: [0] });
    first.drop();
    handle();
    h.clock.advance(0);
    const second = await reconnected(h, { sessionPresent: true });
    expect(second.ofType('unsubscribe').map((u) => u.filters)).toEqual([['a']]);
  });
});

describe('last-message cache', () => {
  it('a late handler on an already-subscribed filter gets the current values at once, without a new SUBSCRIBE', async () => {
    const h = harness();
    const connection = await connected(h);
    h.client.subscribe('home/+/temp', () => {});
    connection.deliver({ type: 'suback', packetId: connection.ofType('subscribe')[0]!.packetId, reasonCodes: [0] });
    connection.deliver(publish('home/kitchen/temp', '20'));
    connection.deliver(publish('home/kitchen/temp', '21'));
    connection.deliver(publish('home/hall/temp', '19', { retain: true }));
    const late: string[] = [];
    h.client.subscribe('home/+/temp', (m) => late.push(`${m.topic}=${new TextDecoder().decode(m.payload)}`));
    expect(late).toEqual([]); // after subscribe() returns, not during
    await settle();
    expect(late.sort()).toEqual(['home/hall/temp=19', 'home/kitchen/temp=21']);
    expect(connection.ofType('subscribe')).toHaveLength(1);
  });

  it('keeps a copy of a small payload that is a view into a large frame, not the frame', async () => {
    const h = harness();
    const connection = await connected(h);
    h.client.subscribe('t', () => {});
    connection.deliver({ type: 'suback', packetId: connection.ofType('subscribe')[0]!.packetId, reasonCodes: [0] });
    const frame = new Uint8Array(64 * 1024);
    frame.set([1, 2, 3], 100);
    connection.deliver(publish('t', '', { payload: frame.subarray(100, 103) }));
    let cached: Uint8Array | undefined;
    h.client.subscribe('t', (m) => (cached = m.payload));
    await settle();
    expect([...(cached ?? [])]).toEqual([1, 2, 3]);
    expect(cached?.buffer.byteLength).toBe(3);
  });

  it('is bounded by messageCacheLimit, forgets cleared retained values and topics no filter covers', async () => {
    const h = harness({ messageCacheLimit: 2 });
    const connection = await connected(h);
    const stop = h.client.subscribe('t/#', () => {});
    connection.deliver({ type: 'suback', packetId: connection.ofType('subscribe')[0]!.packetId, reasonCodes: [0] });
    for (const topic of ['t/1', 't/2', 't/3']) connection.deliver(publish(topic, 'v'));
    connection.deliver(publish('t/3', '', { retain: true }));
    const late: string[] = [];
    h.client.subscribe('t/#', (m) => late.push(m.topic));
    await settle();
    expect(late).toEqual(['t/2']);
    stop();
    h.client.subscribe('x', () => {});
    await settle();
    expect(late).toEqual(['t/2']);
  });
});
