import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

describe('5.0 topic aliases and maximum packet size', () => {
  it('[MQTT-3.3.2-12] a client sets an alias with a topic, then publishes with the alias alone', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('long/topic/name');
    const { client: pub, connack } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    expect(connack.properties?.topicAliasMaximum).toBe(10);
    pub.send({ type: 'publish', topic: 'long/topic/name', payload: text('1'), qos: 0, retain: false, dup: false, properties: { topicAlias: 3 } });
    pub.send({ type: 'publish', topic: '', payload: text('2'), qos: 0, retain: false, dup: false, properties: { topicAlias: 3 } });
    expect(str((await sub.next('publish')).payload)).toBe('1');
    const second = await sub.next('publish');
    expect([second.topic, str(second.payload)]).toEqual(['long/topic/name', '2']);
  });

  it('[MQTT-3.3.2-9] an alias above the maximum is DISCONNECT 0x94; an unknown alias is 0x82', async () => {
    const broker = memoryBroker();
    const { client: high } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    high.send({ type: 'publish', topic: 't', payload: text('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 11 } });
    expect((await high.next('disconnect')).reasonCode).toBe(0x94);
    const { client: unknown } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    unknown.send({ type: 'publish', topic: '', payload: text('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 2 } });
    expect((await unknown.next('disconnect')).reasonCode).toBe(0x82);
  });

  it('[MQTT-3.3.2-8] topic alias 0 is DISCONNECT 0x94 (Topic Alias invalid)', async () => {
    const { client } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5 });
    // PUBLISH QoS 0, topic "a", properties: topic alias (0x23) = 0.
    client.rawWrite(Uint8Array.from([0x30, 0x07, 0x00, 0x01, 0x61, 0x03, 0x23, 0x00, 0x00]));
    expect((await client.next('disconnect')).reasonCode).toBe(0x94);
  });

  it('[MQTT-3.3.2-11] the broker assigns aliases to a client that allows them: topic once, then alias alone', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, properties: { topicAliasMaximum: 5 } });
    await client.subscribe('a/b');
    broker.publish({ topic: 'a/b', payload: '1' });
    broker.publish({ topic: 'a/b', payload: '2' });
    const first = await client.next('publish');
    const second = await client.next('publish');
    expect([first.topic, first.properties?.topicAlias]).toEqual(['a/b', 1]);
    expect([second.topic, second.properties?.topicAlias]).toEqual(['', 1]);
  });

  it('[MQTT-3.2.2-15] a packet larger than the client maximum is not sent; smaller ones still are', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'tiny', properties: { maximumPacketSize: 64 } });
    await client.subscribe('big/#', 1);
    broker.publish({ topic: 'big/1', payload: 'x'.repeat(100), qos: 1 });
    broker.publish({ topic: 'big/2', payload: 'small', qos: 1 });
    expect(str((await client.next('publish')).payload)).toBe('small');
    // The oversized one was discarded as if delivered (MQTT-3.1.2-25): only "small" awaits its PUBACK.
    expect(broker.sessions.get('tiny')!.inflight.size).toBe(1);
  });

  it('[MQTT-3.1.2-?] a packet larger than the broker maximum is DISCONNECT 0x95', async () => {
    const broker = memoryBroker({ limits: { maxPacketSize: 100 } });
    const { client, connack } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    expect(connack.properties?.maximumPacketSize).toBe(100);
    client.send({ type: 'publish', topic: 't', payload: new Uint8Array(200), qos: 0, retain: false, dup: false });
    expect((await client.next('disconnect')).reasonCode).toBe(0x95);
    await client.closed();
  });
});
