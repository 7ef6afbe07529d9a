import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

describe('retained messages', () => {
  it('[MQTT-3.3.1-5] [MQTT-3.3.1-9] the last retained message per topic is sent to new subscribers with RETAIN set', async () => {
    const broker = memoryBroker();
    const { client: pub } = await MemoryClient.connect(broker);
    pub.send({ type: 'publish', topic: 'r/a', payload: text('old'), qos: 0, retain: true, dup: false });
    pub.send({ type: 'publish', topic: 'r/a', payload: text('new'), qos: 0, retain: true, dup: false });
    pub.send({ type: 'publish', topic: 'r/b', payload: text('b'), qos: 1, retain: true, dup: false, packetId: 1 });
    await pub.next('puback');
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('r/+', 1);
    const got = [await sub.next('publish'), await sub.next('publish')].map((p) => [p.topic, str(p.payload), p.retain, p.qos]);
    expect(got.sort()).toEqual([['r/a', 'new', true, 0], ['r/b', 'b', true, 1]]);
  });

  it('[MQTT-3.3.1-6] [MQTT-3.3.1-7] an empty retained payload clears the topic', async () => {
    const broker = memoryBroker();
    broker.publish({ topic: 'gone', payload: 'x', retain: true });
    broker.publish({ topic: 'gone', payload: '', retain: true });
    const { client } = await MemoryClient.connect(broker);
    await client.subscribe('gone');
    expect(await client.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-3.3.1-12] a live message to an existing subscriber has RETAIN cleared (3.1.1 and 5.0 default)', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker);
    await client.subscribe('live');
    broker.publish({ topic: 'live', payload: 'x', retain: true });
    expect((await client.next('publish')).retain).toBe(false);
  });

  it('[MQTT-3.3.1-13] 5.0 retain as published keeps RETAIN on live messages', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    client.send({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'rap', qos: 0, retainAsPublished: true }] });
    await client.next('suback');
    broker.publish({ topic: 'rap', payload: 'x', retain: true });
    expect((await client.next('publish')).retain).toBe(true);
  });

  it('[MQTT-3.3.1-10] [MQTT-3.3.1-11] 5.0 retain handling 1 sends only for a new subscription, 2 never', async () => {
    const broker = memoryBroker();
    broker.publish({ topic: 'rh', payload: 'kept', retain: true });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    client.send({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'rh', qos: 0, retainHandling: 1 }] });
    await client.next('suback');
    expect(str((await client.next('publish')).payload)).toBe('kept');
    client.send({ type: 'subscribe', packetId: 2, subscriptions: [{ filter: 'rh', qos: 0, retainHandling: 1 }] });
    await client.next('suback');
    expect(await client.nothingWithin(30)).toBe(true);
    const { client: never } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    never.send({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'rh', qos: 0, retainHandling: 2 }] });
    await never.next('suback');
    expect(await never.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-4.8.2-?] shared subscriptions get no retained messages', async () => {
    const broker = memoryBroker();
    broker.publish({ topic: 'sh', payload: 'kept', retain: true });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    await client.subscribe('$share/g/sh');
    expect(await client.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-3.3.2-5] an expired retained message is not sent', async () => {
    const broker = memoryBroker();
    broker.publish({ topic: 'exp', payload: 'x', retain: true, properties: { messageExpiryInterval: 0 } });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    await client.subscribe('exp');
    expect(await client.nothingWithin(30)).toBe(true);
  });
});
