/** `createClient` with only some features: what is left out fails loudly, what is kept behaves as in `MqttClient`. */
import { describe, expect, it } from 'vitest';
import { ConnectionRefusedError } from '../../src/client/errors.ts';
import { createClient, reasonTexts, session } from '../../src/client/minimal.ts';
import type { Message } from '../../src/client/types.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { FakeNetwork, settle } from './fakes.ts';
import { connected, coreHarness, harness } from './harness.ts';

const payload = new TextEncoder().encode('21.5');

describe('a client without features', () => {
  it('subscribes, dispatches QoS 0 and 1 (answering PUBACK) and unsubscribes', async () => {
    const h = coreHarness({});
    const connection = await connected(h);
    const received: Message[] = [];
    const stop = h.client.subscribe('home/+/temp', (message) => received.push(message), { qos: 1 });
    const [subscribe] = connection.ofType('subscribe');
    connection.deliver({ type: 'suback', packetId: subscribe!.packetId, reasonCodes: [1] });
    connection.deliver({ type: 'publish', topic: 'home/kitchen/temp', payload, qos: 0, retain: false, dup: false });
    connection.deliver({ type: 'publish', topic: 'home/hall/temp', payload, qos: 1, retain: false, dup: false, packetId: 7 });
    expect(received.map((m) => m.topic)).toEqual(['home/kitchen/temp', 'home/hall/temp']);
    expect(connection.ofType('puback')).toEqual([{ type: 'puback', packetId: 7 }]);
    stop();
    h.clock.advance(0);
    expect(connection.ofType('unsubscribe')).toHaveLength(1);
  });

  it('rejects publish() and request(), naming the feature to add', async () => {
    const h = coreHarness({});
    await connected(h);
    await expect(h.client.publish('a', 'b')).rejects.toThrow(/publish\(\): needs the session feature: createClient\(options, \{ session \}\)/);
    await expect(h.client.request('a', 'b')).rejects.toThrow(/request\(\): needs the request feature/);
  });

  it('refuses options that need a missing feature when it is created', () => {
    const network = new FakeNetwork();
    const base = { url: 'ws://x', transport: network.factory };
    expect(() => createClient({ ...base, authenticate: async () => undefined })).toThrow(InvalidArgumentError);
    expect(() => createClient({ ...base, properties: { topicAliasMaximum: 10 } })).toThrow(/topicAliases feature/);
    expect(() => createClient({ servers: ['ws://a', 'ws://b'], transport: network.factory })).toThrow(/servers: needs the failover feature/);
    expect(() => createClient({ ...base, followServerReference: true })).toThrow(/failover feature/);
    expect(network.connections).toHaveLength(0);
  });

  it('refuses a protocolVersion other than 4 or 5 when it is created, before any connection', () => {
    const network = new FakeNetwork();
    expect(() => createClient({ url: 'ws://x', transport: network.factory, protocolVersion: 3 as never })).toThrow(
      /protocolVersion: must be 4 \(MQTT 3.1.1\) or 5 \(MQTT 5.0\)/,
    );
    expect(network.connections).toHaveLength(0);
  });

  it('treats an inbound QoS 2 message as a protocol error (exactly-once needs the session)', async () => {
    const h = coreHarness({});
    const connection = await connected(h);
    connection.deliver({ type: 'publish', topic: 'a', payload, qos: 2, retain: false, dup: false, packetId: 3 });
    expect(connection.closed).toBe(true);
    expect(connection.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x82 }]);
    expect(h.client.state.getSnapshot().error?.message).toMatch(/QoS 2 needs the session feature/);
  });

  it('treats AUTH as a protocol error without enhancedAuth, before and after CONNACK', async () => {
    const h = coreHarness({});
    void h.client.connect();
    await settle();
    const first = h.network.connections[0]!;
    first.open();
    first.deliver({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1' } });
    expect(first.closed).toBe(true);
    expect(first.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x82 }]);
    expect(h.client.state.getSnapshot().error?.message).toMatch(/The server sent auth, which this client did not ask for/);
    const h2 = coreHarness({});
    const connection = await connected(h2);
    connection.deliver({ type: 'auth', reasonCode: 0x19 });
    expect(connection.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x82 }]);
    await h.client.close();
    await h2.client.close();
  });

  it('gives refusals as typed errors with the reason code, explained only with reasonTexts', async () => {
    for (const [features, text] of [
      [{}, /reason 0x86 \(describeReason\(0x86\) explains it\)/],
      [{ reasonTexts }, /reason 0x86 \(bad user name or password: check username\/password/],
    ] as const) {
      const h = coreHarness(features);
      const done = h.client.connect();
      await settle();
      h.network.accept({ reasonCode: 0x86 });
      const error = await done.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionRefusedError);
      expect((error as ConnectionRefusedError).message).toMatch(text);
    }
  });
});

describe('features', () => {
  it('session: publishes QoS 1 and receives QoS 2 once, as MqttClient does', async () => {
    const h = coreHarness({ session });
    const connection = await connected(h);
    const published = h.client.publish('a/b', 'on', { qos: 1 });
    const [sent] = connection.ofType('publish');
    connection.deliver({ type: 'puback', packetId: sent!.packetId! });
    await expect(published).resolves.toBeUndefined();
    const received: Message[] = [];
    h.client.subscribe('c', (message) => received.push(message), { qos: 2 });
    const qos2 = { type: 'publish', topic: 'c', payload, qos: 2, retain: false, dup: false, packetId: 9 } as const;
    connection.deliver(qos2);
    connection.deliver({ ...qos2, dup: true });
    expect(received).toHaveLength(1);
    connection.deliver({ type: 'pubrel', packetId: 9 });
    expect(connection.ofType('pubcomp')).toEqual([{ type: 'pubcomp', packetId: 9 }]);
  });

  it('MqttClient has every feature: refusals are explained', async () => {
    const h = harness();
    const done = h.client.connect();
    await settle();
    h.network.accept({ reasonCode: 0x87 });
    await expect(done).rejects.toThrow(/reason 0x87 \(not authorized: this user may not do this/);
  });
});
