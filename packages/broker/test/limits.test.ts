import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

describe('limits', () => {
  it('maximum connections: one more gets CONNACK 0x97 (5.0) / 3 (3.1.1)', async () => {
    const broker = memoryBroker({ limits: { maxConnections: 1 } });
    await MemoryClient.connect(broker, { clientId: 'first' });
    const v5 = new MemoryClient(broker, 5);
    v5.send({ type: 'connect', protocolVersion: 5, clientId: 'second', clean: true, keepalive: 0 });
    expect((await v5.next('connack')).reasonCode).toBe(0x97);
    const v4 = new MemoryClient(broker, 4);
    v4.send({ type: 'connect', protocolVersion: 4, clientId: 'third', clean: true, keepalive: 0 });
    expect((await v4.next('connack')).reasonCode).toBe(3);
  });

  it('connect rate per IP: CONNACK 0x9F past the limit, other addresses unaffected', async () => {
    const broker = memoryBroker({ limits: { connectRatePerIp: 2 } });
    await MemoryClient.connect(broker, {}, '10.0.0.1');
    await MemoryClient.connect(broker, {}, '10.0.0.1');
    const third = new MemoryClient(broker, 5, '10.0.0.1');
    third.send({ type: 'connect', protocolVersion: 5, clientId: 'third', clean: true, keepalive: 0 });
    expect((await third.next('connack')).reasonCode).toBe(0x9f);
    expect((await MemoryClient.connect(broker, {}, '10.0.0.2')).connack.reasonCode).toBe(0);
  });

  it('topic levels and length: PUBACK 0x90 and SUBACK 0x8F past the limit', async () => {
    const broker = memoryBroker({ limits: { maxTopicLevels: 3, maxTopicLength: 20 } });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    client.send({ type: 'publish', topic: 'a/b/c/d', payload: text('x'), qos: 1, retain: false, dup: false, packetId: 1 });
    expect((await client.next('puback')).reasonCode).toBe(0x90);
    client.send({ type: 'publish', topic: 'x'.repeat(21), payload: text('x'), qos: 1, retain: false, dup: false, packetId: 2 });
    expect((await client.next('puback')).reasonCode).toBe(0x90);
    expect(await client.subscribe('a/b/c/#')).toEqual([0x8f]);
    expect(await client.subscribe('a/b/#')).toEqual([0]);
  });

  it('a full queue drops the oldest QoS 0 message first, then newcomers; memory stays bounded', async () => {
    const broker = memoryBroker({ limits: { maxQueued: 3 } });
    const { client } = await MemoryClient.connect(broker, { clientId: 'slow' });
    await client.subscribe('s/#', 1);
    client.bufferedAmount = 10 * 1024 * 1024; // its socket is full: everything queues
    broker.publish({ topic: 's/a', payload: 'a', qos: 0 });
    broker.publish({ topic: 's/b', payload: 'b', qos: 1 });
    broker.publish({ topic: 's/c', payload: 'c', qos: 0 });
    broker.publish({ topic: 's/d', payload: 'd', qos: 1 }); // drops a
    broker.publish({ topic: 's/e', payload: 'e', qos: 1 }); // drops c
    broker.publish({ topic: 's/f', payload: 'f', qos: 1 }); // no QoS 0 left: f itself is dropped
    for (let i = 0; i < 1000; i++) broker.publish({ topic: 's/flood', payload: 'x', qos: 0 });
    const session = broker.sessions.get('slow')!;
    expect(session.queue.length).toBe(3);
    client.drain();
    const payloads = [];
    for (let i = 0; i < 3; i++) payloads.push(str((await client.next('publish')).payload));
    expect(payloads).toEqual(['b', 'd', 'e']);
    expect(broker.stats.messagesDropped).toBe(1003);
  });

  it('a slow consumer does not slow others: a fast subscriber gets every message', async () => {
    const broker = memoryBroker({ limits: { maxQueued: 10 } });
    const { client: slow } = await MemoryClient.connect(broker);
    await slow.subscribe('f/#');
    slow.bufferedAmount = 10 * 1024 * 1024;
    const { client: fast } = await MemoryClient.connect(broker);
    await fast.subscribe('f/#');
    for (let i = 0; i < 500; i++) broker.publish({ topic: 'f/x', payload: String(i) });
    for (let i = 0; i < 500; i++) expect(str((await fast.next('publish')).payload)).toBe(String(i));
  });

  it('[MQTT-3.3.4-9] more QoS 2 messages awaiting PUBREL than the receive maximum is DISCONNECT 0x93', async () => {
    const broker = memoryBroker({ limits: { receiveMaximum: 2 } });
    const { client, connack } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    expect(connack.properties?.receiveMaximum).toBe(2);
    for (let id = 1; id <= 3; id++) client.send({ type: 'publish', topic: 't', payload: text('x'), qos: 2, retain: false, dup: false, packetId: id });
    expect((await client.next('disconnect')).reasonCode).toBe(0x93);
  });

  it('a connection that sends no CONNECT within connectTimeoutMs is closed', async () => {
    const broker = memoryBroker({ limits: { connectTimeoutMs: 100 } });
    const idle = new MemoryClient(broker);
    const started = Date.now();
    await idle.closed(2000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    const { connack } = await MemoryClient.connect(broker);
    expect(connack.reasonCode).toBe(0);
  });

  it('maxInflight caps unacknowledged QoS 1 deliveries even for a 3.1.1 client (no receive maximum)', async () => {
    const broker = memoryBroker({ limits: { maxInflight: 2 } });
    const { client } = await MemoryClient.connect(broker, { clientId: 'window' });
    await client.subscribe('w', 1);
    for (let i = 0; i < 4; i++) broker.publish({ topic: 'w', payload: String(i), qos: 1 });
    const first = await client.next('publish');
    await client.next('publish');
    expect(await client.nothingWithin(30)).toBe(true);
    expect(broker.sessions.get('window')!.queue.length).toBe(2);
    client.send({ type: 'puback', packetId: first.packetId! });
    expect(str((await client.next('publish')).payload)).toBe('2');
  });
});
