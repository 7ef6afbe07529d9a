/** CONNECT as built from the options, and what the client does with CONNACK's 5.0 properties. */
import { describe, expect, it } from 'vitest';
import { PublishError } from '../../src/client/errors.ts';
import { settle } from './fakes.ts';
import { connected, harness, reconnected } from './harness.ts';

async function connectPacket(options: Parameters<typeof harness>[0]) {
  const h = harness(options);
  void h.client.connect();
  await settle();
  h.network.last.open();
  return h.network.last.ofType('connect')[0]!;
}

describe('CONNECT', () => {
  it('[MQTT-3.1.2-2] 3.1.1: protocol level 4, a generated client id, clean session, keepalive 60', async () => {
    const packet = await connectPacket({ protocolVersion: 4 });
    expect(packet).toMatchObject({ protocolVersion: 4, clean: true, keepalive: 60 });
    expect(packet.clientId).toMatch(/^mqttkit-[a-z0-9]+$/);
    expect(packet.properties).toBeUndefined();
  });

  it('[MQTT-3.1.3-6] 5.0 without a client id sends an empty one for the server to assign', async () => {
    expect((await connectPacket({})).clientId).toBe('');
  });

  it('carries credentials, the will (with 5.0 will properties) and the 5.0 CONNECT properties', async () => {
    const packet = await connectPacket({
      clientId: 'dash-1',
      username: 'alice',
      password: 'secret',
      keepalive: 30,
      clean: false,
      sessionExpiryInterval: 3_600,
      properties: { receiveMaximum: 10, topicAliasMaximum: 5, userProperties: [['app', 'dash']] },
      will: { topic: 'status/dash-1', payload: 'offline', qos: 1, retain: true, properties: { willDelayInterval: 5 } },
    });
    expect(packet).toMatchObject({
      clientId: 'dash-1',
      username: 'alice',
      clean: false,
      keepalive: 30,
      properties: { sessionExpiryInterval: 3_600, receiveMaximum: 10, topicAliasMaximum: 5, userProperties: [['app', 'dash']] },
      will: { topic: 'status/dash-1', qos: 1, retain: true, properties: { willDelayInterval: 5 } },
    });
    expect(new TextDecoder().decode(packet.password)).toBe('secret');
    expect(new TextDecoder().decode(packet.will?.payload)).toBe('offline');
  });

  it('[MQTT-3.1.2-4] 5.0 reconnects resume the session (clean start 0) when session expiry outlives the connection; keeps the assigned id', async () => {
    const h = harness({ sessionExpiryInterval: 600 });
    const first = await connected(h, { properties: { assignedClientIdentifier: 'auto-1' } });
    expect(h.client.state.getSnapshot().capabilities?.assignedClientIdentifier).toBe('auto-1');
    first.drop();
    const second = await reconnected(h, { sessionPresent: true });
    expect(second.ofType('connect')[0]).toMatchObject({ clientId: 'auto-1', clean: false });
  });
});

describe('CONNACK capabilities (5.0)', () => {
  it('rejects a publish above Maximum QoS or with retain when Retain Available is 0, without sending', async () => {
    const h = harness();
    const connection = await connected(h, { properties: { maximumQoS: 1, retainAvailable: 0 } });
    await expect(h.client.publish('t', 'x', { qos: 2 })).rejects.toMatchObject({ reasonCode: 0x9b });
    await expect(h.client.publish('t', 'x', { retain: true })).rejects.toBeInstanceOf(PublishError);
    expect(connection.ofType('publish')).toHaveLength(0);
  });

  it('rejects a publish larger than the Maximum Packet Size with reason 0x95 and keeps going', async () => {
    const h = harness();
    const connection = await connected(h, { properties: { maximumPacketSize: 100 } });
    await expect(h.client.publish('t', new Uint8Array(200), { qos: 1 })).rejects.toMatchObject({ reasonCode: 0x95 });
    await h.client.publish('t', new Uint8Array(10));
    expect(connection.ofType('publish')).toHaveLength(1);
    await settle(); // the queued count is published once per tick
    expect(h.client.state.getSnapshot().queued).toBe(0);
  });

  it('[MQTT-3.3.2-7] assigns topic aliases up to the server maximum, then sends alias only; fresh on every connection', async () => {
    const h = harness();
    const first = await connected(h, { properties: { topicAliasMaximum: 2 } });
    for (const topic of ['a', 'b', 'c', 'a', 'b', 'c']) void h.client.publish(topic, 'x');
    expect(first.ofType('publish').map((p) => [p.topic, p.properties?.topicAlias])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', undefined],
      ['', 1],
      ['', 2],
      ['c', undefined],
    ]);
    first.drop();
    const second = await reconnected(h, { properties: { topicAliasMaximum: 2 } });
    void h.client.publish('a', 'x');
    expect(second.ofType('publish').map((p) => [p.topic, p.properties?.topicAlias])).toEqual([['a', 1]]);
  });

  it('[MQTT-3.3.2-12] maps inbound topic aliases; an alias never set disconnects with 0x82 (protocol error)', async () => {
    const h = harness({ properties: { topicAliasMaximum: 4 } });
    const connection = await connected(h);
    const topics: string[] = [];
    h.client.subscribe('#', (m) => topics.push(m.topic));
    const publish = { type: 'publish', payload: new Uint8Array(), qos: 0, retain: false, dup: false } as const;
    connection.deliver({ ...publish, topic: 'home/x', properties: { topicAlias: 3 } });
    connection.deliver({ ...publish, topic: '', properties: { topicAlias: 3 } });
    expect(topics).toEqual(['home/x', 'home/x']);
    connection.deliver({ ...publish, topic: '', properties: { topicAlias: 2 } });
    expect(connection.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x82 }]);
    expect(connection.closed).toBe(true);
  });

  it('follows a server reference (0x9C) only when followServerReference is set', async () => {
    const h = harness({ followServerReference: true });
    void h.client.connect();
    await settle();
    h.network.accept({ reasonCode: 0x9c, properties: { serverReference: 'other.test:9001' } });
    await settle();
    expect(h.network.connections.map((c) => c.options.url)).toEqual(['ws://broker.test/mqtt', 'ws://other.test:9001/mqtt']);
    const plain = harness();
    void plain.client.connect();
    await settle();
    plain.network.accept({ reasonCode: 0x9c, properties: { serverReference: 'other.test:9001' } });
    expect(plain.client.state.getSnapshot().error?.message).toMatch(/followServerReference: true/);
    plain.clock.advance(60_000);
    await settle();
    expect(plain.network.last.options.url).toBe('ws://broker.test/mqtt');
  });

  it('a server DISCONNECT surfaces its reason and the client reconnects', async () => {
    const h = harness();
    const connection = await connected(h);
    connection.deliver({ type: 'disconnect', reasonCode: 0x8b, properties: { reasonString: 'maintenance' } });
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'reconnecting', error: { code: 'CONNECTION_LOST', reasonCode: 0x8b } });
    expect(h.client.state.getSnapshot().error?.message).toMatch(/server shutting down.*maintenance/);
  });
});

describe('enhanced authentication (5.0)', () => {
  it('[MQTT-4.12.0-2] answers each AUTH challenge through authenticate() until CONNACK', async () => {
    const challenges: string[] = [];
    const h = harness({
      authenticationMethod: 'SCRAM-SHA-1',
      authenticationData: new TextEncoder().encode('client-first'),
      authenticate: async ({ method, data }) => {
        challenges.push(`${method}:${new TextDecoder().decode(data)}`);
        return new TextEncoder().encode('client-final');
      },
    });
    const done = h.client.connect();
    await settle();
    const connection = h.network.last;
    connection.open();
    expect(connection.ofType('connect')[0]?.properties).toMatchObject({ authenticationMethod: 'SCRAM-SHA-1' });
    connection.deliver({
      type: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'SCRAM-SHA-1', authenticationData: new TextEncoder().encode('server-first') },
    });
    await settle();
    expect(challenges).toEqual(['SCRAM-SHA-1:server-first']);
    const [auth] = connection.ofType('auth');
    expect(auth).toMatchObject({ reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1' } });
    expect(new TextDecoder().decode(auth?.properties?.authenticationData)).toBe('client-final');
    connection.deliver({ type: 'connack', sessionPresent: false, reasonCode: 0 });
    await done;
  });

  it('an AUTH without an authenticate callback is a protocol error', async () => {
    const h = harness();
    void h.client.connect();
    await settle();
    h.network.last.open();
    h.network.last.deliver({ type: 'auth', reasonCode: 0x18 });
    await settle();
    expect(h.network.last.closed).toBe(true);
    expect(h.client.state.getSnapshot().error?.code).toBe('PROTOCOL_ERROR');
  });
});
