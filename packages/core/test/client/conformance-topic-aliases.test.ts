/** Conformance of 5.0 topic aliases: per connection, within both sides' maximums, and only once the server knows them. */
import { describe, expect, it } from 'vitest';
import type { MqttClientCore } from '../../src/client/client-core.ts';
import type { PacketOf } from '../../src/codec/packets.ts';
import { type FakeConnection, settle } from './fakes.ts';
import { connected, coreHarness, type Harness, harness, reconnected } from './harness.ts';

const inbound = { type: 'publish', payload: new Uint8Array([1]), qos: 0, retain: false, dup: false } as const;
const aliasOf = (packets: PacketOf<'publish'>[]) => packets.map((p) => [p.topic, p.properties?.topicAlias]);

/** Connects with a handler on `#`; returns the connection and the topics delivered so far. */
async function listening(h: Harness<MqttClientCore>): Promise<{ connection: FakeConnection; topics: string[] }> {
  const connection = await connected(h);
  const topics: string[] = [];
  h.client.subscribe('#', (m) => topics.push(m.topic));
  return { connection, topics };
}

describe('outbound topic aliases', () => {
  it('[MQTT-3.2.2-15] a publish too large to send does not establish its alias: the next publish to that topic still names it', async () => {
    const h = harness();
    const connection = await connected(h, { properties: { topicAliasMaximum: 4, maximumPacketSize: 100 } });
    await expect(h.client.publish('room/a', new Uint8Array(200))).rejects.toMatchObject({ reasonCode: 0x95 });
    await h.client.publish('room/a', 'small');
    await h.client.publish('room/a', 'again');
    expect(aliasOf(connection.ofType('publish'))).toEqual([
      ['room/a', 1],
      ['', 1],
    ]);
  });

  it('[MQTT-3.3.2-9] a topicAlias given in the publish properties above the server maximum is refused, never sent', async () => {
    const h = harness();
    const connection = await connected(h, { properties: { topicAliasMaximum: 2 } });
    await expect(h.client.publish('t', 'x', { properties: { topicAlias: 3 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(connection.ofType('publish')).toHaveLength(0);
  });

  it('[MQTT-3.2.2-18] a topicAlias given in the publish properties is refused when the server allows none', async () => {
    const h = harness();
    const connection = await connected(h);
    await expect(h.client.publish('t', 'x', { properties: { topicAlias: 1 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(connection.ofType('publish')).toHaveLength(0);
  });

  it('[MQTT-3.3.2-9] refusing a caller\'s alias keeps the client\'s own: a later publish to the aliased topic is not rebound', async () => {
    const h = harness();
    const connection = await connected(h, { properties: { topicAliasMaximum: 2 } });
    await h.client.publish('room/a', '1');
    await expect(h.client.publish('room/x', '2', { properties: { topicAlias: 1 } })).rejects.toThrow(/properties.topicAlias/);
    await h.client.publish('room/a', '3');
    expect(aliasOf(connection.ofType('publish'))).toEqual([
      ['room/a', 1],
      ['', 1],
    ]);
  });

  it('[MQTT-3.3.2-7] a PUBLISH re-sent after a reconnect names its topic again (the new connection knows no alias)', async () => {
    const h = harness({ clean: false, sessionExpiryInterval: 600 });
    const first = await connected(h, { properties: { topicAliasMaximum: 4 } });
    void h.client.publish('room/a', '1', { qos: 1 });
    void h.client.publish('room/a', '2', { qos: 1 });
    expect(aliasOf(first.ofType('publish'))).toEqual([
      ['room/a', 1],
      ['', 1],
    ]);
    first.drop();
    const second = await reconnected(h, { sessionPresent: true, properties: { topicAliasMaximum: 4 } });
    const resent = second.ofType('publish');
    expect(resent.every((p) => p.dup)).toBe(true);
    expect(aliasOf(resent)).toEqual([
      ['room/a', 1],
      ['', 1],
    ]);
  });
});

describe('inbound topic aliases', () => {
  it('[MQTT-3.3.2-10] accepts every alias from 1 to our Topic Alias Maximum', async () => {
    const h = harness({ properties: { topicAliasMaximum: 3 } });
    const { connection, topics } = await listening(h);
    for (const alias of [1, 2, 3]) connection.deliver({ ...inbound, topic: `t/${alias}`, properties: { topicAlias: alias } });
    for (const alias of [3, 2, 1]) connection.deliver({ ...inbound, topic: '', properties: { topicAlias: alias } });
    expect(topics).toEqual(['t/1', 't/2', 't/3', 't/3', 't/2', 't/1']);
    expect(connection.closed).toBe(false);
  });

  for (const alias of [0, 4]) {
    it(`[MQTT-3.3.2-11] alias ${alias} (0, or above our maximum of 3) disconnects with 0x94 and delivers nothing`, async () => {
      const h = harness({ properties: { topicAliasMaximum: 3 } });
      const { connection, topics } = await listening(h);
      connection.deliver({ ...inbound, topic: 'a', properties: { topicAlias: alias } });
      expect(connection.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x94 }]);
      expect(connection.closed).toBe(true);
      expect(topics).toEqual([]);
      expect(h.client.state.getSnapshot().error).toMatchObject({ code: 'PROTOCOL_ERROR', reasonCode: 0x94 });
    });
  }

  it('[MQTT-3.1.2-27] without the topicAliases feature (maximum 0 sent) an inbound alias disconnects with 0x94', async () => {
    const h = coreHarness({});
    const { connection, topics } = await listening(h);
    connection.deliver({ ...inbound, topic: '', properties: { topicAlias: 1 } });
    expect(topics).toEqual([]);
    expect(connection.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x94 }]);
  });

  it('[MQTT-3.3.2-10] an empty topic with an alias in range but never set is a protocol error (0x82), nothing delivered', async () => {
    const h = harness({ properties: { topicAliasMaximum: 3 } });
    const { connection, topics } = await listening(h);
    connection.deliver({ ...inbound, topic: '', properties: { topicAlias: 2 } });
    expect(topics).toEqual([]);
    expect(connection.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x82 }]);
  });

  it('[MQTT-3.3.2-7] an alias the server set on the last connection is unknown on the next: protocol error, nothing delivered', async () => {
    const h = harness({ properties: { topicAliasMaximum: 3 } });
    const { connection: first, topics } = await listening(h);
    first.deliver({ ...inbound, topic: 'kept', properties: { topicAlias: 1 } });
    first.drop();
    const second = await reconnected(h);
    await settle();
    second.deliver({ ...inbound, topic: '', properties: { topicAlias: 1 } });
    expect(topics).toEqual(['kept']);
    expect(second.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x82 }]);
  });
});
