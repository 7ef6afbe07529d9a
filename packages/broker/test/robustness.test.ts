import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

describe('bad input and failing hooks stay confined to one connection', () => {
  it('[MQTT-4.8.0-1] garbage bytes close that connection; the next client connects and gets its messages', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('ok');
    const garbage = new MemoryClient(broker);
    garbage.rawWrite(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    await garbage.closed();
    const { client: pub, connack } = await MemoryClient.connect(broker);
    expect(connack.reasonCode).toBe(0);
    pub.send({ type: 'publish', topic: 'ok', payload: text('still here'), qos: 0, retain: false, dup: false });
    expect(str((await sub.next('publish')).payload)).toBe('still here');
  });

  it('[MQTT-4.13.1-1] 5.0: a malformed packet after CONNECT gets DISCONNECT 0x81', async () => {
    const { client } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5 });
    // SUBSCRIBE with reserved flag bits wrong (must be 0x82).
    client.rawWrite(Uint8Array.from([0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 0x61]));
    expect((await client.next('disconnect')).reasonCode).toBeOneOf([0x81, 0x82]);
    await client.closed();
  });

  it('a throwing authorizePublish refuses that message only; the broker keeps routing', async () => {
    const broker = memoryBroker({ hooks: { authorizePublish: (_client, message) => { if (message.topic === 'boom') throw new Error('hook bug'); return true; } } });
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('#');
    const { client: pub } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    pub.send({ type: 'publish', topic: 'boom', payload: text('x'), qos: 1, retain: false, dup: false, packetId: 1 });
    expect((await pub.next('puback')).reasonCode).toBe(0x87);
    pub.send({ type: 'publish', topic: 'fine', payload: text('y'), qos: 0, retain: false, dup: false });
    expect((await sub.next('publish')).topic).toBe('fine');
  });

  it('async hooks keep each connection\'s packet order', async () => {
    let delay = 30;
    const broker = memoryBroker({ hooks: { authorizePublish: () => new Promise((resolve) => setTimeout(() => resolve(true), (delay = Math.max(0, delay - 10)))) } });
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('order');
    const { client: pub } = await MemoryClient.connect(broker);
    for (let i = 0; i < 4; i++) pub.send({ type: 'publish', topic: 'order', payload: text(String(i)), qos: 0, retain: false, dup: false });
    const got = [];
    for (let i = 0; i < 4; i++) got.push(str((await sub.next('publish')).payload));
    expect(got).toEqual(['0', '1', '2', '3']);
  });

  it('a subscriber whose link fails is dropped without affecting the publisher', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker, { clientId: 'victim' });
    await sub.subscribe('t');
    const { client: pub } = await MemoryClient.connect(broker);
    const session = broker.sessions.get('victim')!;
    const link = session.client!.link;
    link.send = link.sendBytes = () => { throw new Error('socket exploded'); };
    pub.send({ type: 'publish', topic: 't', payload: text('x'), qos: 1, retain: false, dup: false, packetId: 5 });
    expect((await pub.next('puback')).packetId).toBe(5);
    await sub.closed();
    pub.send({ type: 'pingreq' });
    expect((await pub.next('pingresp')).type).toBe('pingresp');
  });

  it('a hook that never answers cannot make a flooding client grow memory: DISCONNECT 0x97 past 10,000 held packets', async () => {
    const broker = memoryBroker({ hooks: { authorizePublish: () => new Promise<boolean>(() => {}) } });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    const publish = { type: 'publish' as const, topic: 't', payload: text('x'), qos: 0 as const, retain: false, dup: false };
    for (let i = 0; i <= 10_001; i++) client.send(publish);
    expect((await client.next('disconnect')).reasonCode).toBe(0x97);
  });

  it('[MQTT-3.1.2-29] 5.0 request problem information 0: refusals carry no reason string', async () => {
    const broker = memoryBroker({ hooks: { authorizePublish: () => false } });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, properties: { requestProblemInformation: 0 } });
    client.send({ type: 'publish', topic: 't', payload: text('x'), qos: 1, retain: false, dup: false, packetId: 1 });
    expect(await client.next('puback')).toEqual({ type: 'puback', packetId: 1, reasonCode: 0x87 });
  });
});
