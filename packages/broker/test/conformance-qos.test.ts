/**
 * The QoS 1 and 2 exchanges as the broker runs them with a client: packet identifiers on the receiving side
 * (what is a duplicate, what is a new message), DUP on the sending side, and the Receive Maximum both ways.
 */
import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

const publish = (topic: string, payload: string, qos: 0 | 1 | 2, packetId?: number, dup = false) =>
  ({ type: 'publish', topic, payload: text(payload), qos, retain: false, dup, ...(packetId === undefined ? {} : { packetId }) }) as const;

describe('conformance: QoS 1 and 2 with a client', () => {
  it('[MQTT-4.3.3-11] 5.0 PUBREL for an unknown packet id gets PUBCOMP 0x92 with that id', async () => {
    const { client } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5 });
    client.send({ type: 'pubrel', packetId: 42 });
    const pubcomp = await client.next('pubcomp');
    expect([pubcomp.packetId, pubcomp.reasonCode]).toEqual([42, 0x92]);
  });

  it('[MQTT-4.3.3-11] 3.1.1 PUBREL for an unknown packet id gets a plain PUBCOMP with that id', async () => {
    const { client } = await MemoryClient.connect(memoryBroker());
    client.send({ type: 'pubrel', packetId: 43 });
    const pubcomp = await client.next('pubcomp');
    expect([pubcomp.packetId, pubcomp.reasonCode ?? 0]).toEqual([43, 0]);
  });

  it('[MQTT-4.3.3-10] [MQTT-4.3.3-12] a QoS 2 id is a duplicate until PUBREL, a new message after PUBCOMP', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('q2', 2);
    const { client: pub } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    pub.send(publish('q2', 'first', 2, 5));
    await pub.next('pubrec');
    pub.send(publish('q2', 'first', 2, 5, true));
    expect((await pub.next('pubrec')).packetId).toBe(5);
    pub.send({ type: 'pubrel', packetId: 5 });
    await pub.next('pubcomp');
    pub.send(publish('q2', 'second', 2, 5));
    await pub.next('pubrec');
    pub.send({ type: 'pubrel', packetId: 5 });
    await pub.next('pubcomp');
    const first = await sub.next('publish');
    const second = await sub.next('publish');
    expect([str(first.payload), str(second.payload)]).toEqual(['first', 'second']);
    expect(await sub.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-4.3.3-9] after a refusing PUBREC the same QoS 2 id is a new message', async () => {
    let allow = false;
    const broker = memoryBroker({ hooks: { authorizePublish: () => allow } });
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('gate', 2);
    const { client: pub } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    pub.send(publish('gate', 'refused', 2, 9));
    expect((await pub.next('pubrec')).reasonCode).toBe(0x87);
    allow = true;
    pub.send(publish('gate', 'accepted', 2, 9));
    expect((await pub.next('pubrec')).reasonCode ?? 0).toBe(0);
    expect(str((await sub.next('publish')).payload)).toBe('accepted');
  });

  it('[MQTT-4.3.2-5] after PUBACK the same QoS 1 id is a new message, DUP or not', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('q1');
    const { client: pub } = await MemoryClient.connect(broker);
    pub.send(publish('q1', 'one', 1, 3));
    await pub.next('puback');
    pub.send(publish('q1', 'two', 1, 3, true));
    await pub.next('puback');
    expect([str((await sub.next('publish')).payload), str((await sub.next('publish')).payload)]).toEqual(['one', 'two']);
  });

  it('[MQTT-3.3.1-3] [MQTT-4.3.2-2] DUP of a forwarded message is the broker\'s own: 0 on first delivery', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('d/#', 1);
    const { client: pub } = await MemoryClient.connect(broker);
    pub.send(publish('d/1', 'resent by its publisher', 1, 1, true));
    await pub.next('puback');
    const delivered = await sub.next('publish');
    expect([delivered.qos, delivered.dup]).toEqual([1, false]);
  });

  it('[MQTT-3.3.1-2] [MQTT-4.3.1-1] QoS 0 goes out with DUP 0', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('z');
    const { client: pub } = await MemoryClient.connect(broker);
    pub.send(publish('z', 'x', 0));
    expect((await sub.next('publish')).dup).toBe(false);
  });

  it('[MQTT-3.3.4-7] a client over the broker\'s Receive Maximum of QoS 2 messages gets DISCONNECT 0x93', async () => {
    const broker = memoryBroker({ limits: { receiveMaximum: 2 } });
    const { client, connack } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    expect(connack.properties?.receiveMaximum).toBe(2);
    for (const packetId of [1, 2]) {
      client.send(publish('rm', 'x', 2, packetId));
      await client.next('pubrec');
    }
    client.send(publish('rm', 'x', 2, 3));
    expect((await client.next('disconnect')).reasonCode).toBe(0x93);
    await client.closed();
  });

  it('[MQTT-3.3.4-7] QoS 1 PUBACKs held for a full persistent subscriber count: one more is DISCONNECT 0x93', async () => {
    const broker = memoryBroker({ limits: { maxQueued: 1, receiveMaximum: 2 } });
    const { client: sub } = await MemoryClient.connect(broker, { clientId: 'slow', clean: false });
    await sub.subscribe('held/#', 1);
    sub.bufferedAmount = 10 * 1024 * 1024; // its socket is full: everything queues, then overflows
    const { client: pub } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    pub.send(publish('held/1', '1', 1, 1));
    expect((await pub.next('puback')).packetId).toBe(1);
    pub.send(publish('held/2', '2', 1, 2)); // overflows: its PUBACK waits for room
    pub.send(publish('held/3', '3', 1, 3));
    pub.send(publish('held/4', '4', 1, 4)); // a third unacknowledged one, over the Receive Maximum of 2
    expect((await pub.next('disconnect')).reasonCode).toBe(0x93);
    expect(broker.sessions.get('slow')!.queue.map((out) => out.message.topic)).toEqual(['held/1', 'held/2', 'held/3']);
  });

  it('[MQTT-3.3.4-7] a client at the Receive Maximum that completes an exchange may send another', async () => {
    const broker = memoryBroker({ limits: { receiveMaximum: 1 } });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    client.send(publish('rm', 'x', 2, 1));
    await client.next('pubrec');
    client.send({ type: 'pubrel', packetId: 1 });
    await client.next('pubcomp');
    client.send(publish('rm', 'y', 2, 2));
    expect((await client.next('pubrec')).packetId).toBe(2);
  });

  it('[MQTT-3.3.4-9] [MQTT-3.3.4-10] at the client\'s Receive Maximum only PUBLISH waits: PINGRESP and SUBACK do not', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, properties: { receiveMaximum: 1 } });
    await client.subscribe('w/#', 1);
    broker.publish({ topic: 'w/1', payload: '1', qos: 1 });
    broker.publish({ topic: 'w/2', payload: '2', qos: 1 });
    const first = await client.next('publish');
    client.send({ type: 'pingreq' });
    expect((await client.nextPacket()).type).toBe('pingresp');
    client.send({ type: 'subscribe', packetId: 9, subscriptions: [{ filter: 'other', qos: 0 }] });
    expect((await client.nextPacket()).type).toBe('suback');
    client.send({ type: 'puback', packetId: first.packetId! });
    expect(str((await client.next('publish')).payload)).toBe('2');
  });

  it('[MQTT-4.8.2-6] [MQTT-4.4.0-2] a PUBACK 0x80 from a shared member ends the message: no resend, no other member', async () => {
    const broker = memoryBroker();
    const members = [];
    for (const clientId of ['m1', 'm2']) {
      const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId, properties: { sessionExpiryInterval: 60 } });
      await client.subscribe('$share/g/job', 1);
      members.push(client);
    }
    broker.publish({ topic: 'job', payload: 'work', qos: 1 });
    const [m1, m2] = members as [MemoryClient, MemoryClient];
    const delivery = await m1.next('publish');
    m1.send({ type: 'puback', packetId: delivery.packetId!, reasonCode: 0x80 });
    m1.drop();
    const again = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'm1', clean: false, properties: { sessionExpiryInterval: 60 } });
    expect(await again.client.nothingWithin(30)).toBe(true);
    expect(await m2.nothingWithin(30)).toBe(true);
  });
});
