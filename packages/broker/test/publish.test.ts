import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

describe('PUBLISH routing and QoS', () => {
  it('[MQTT-3.3.4-1] QoS 1: PUBACK to the publisher, PUBLISH with a packet id to the subscriber', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    expect(await sub.subscribe('a/b', 1)).toEqual([1]);
    const { client: pub } = await MemoryClient.connect(broker);
    pub.send({ type: 'publish', topic: 'a/b', payload: text('x'), qos: 1, retain: false, dup: false, packetId: 7 });
    expect(await pub.next('puback')).toMatchObject({ packetId: 7 });
    const delivered = await sub.next('publish');
    expect(delivered).toMatchObject({ topic: 'a/b', qos: 1, retain: false, dup: false });
    expect(delivered.packetId).toBeGreaterThan(0);
  });

  it('[MQTT-4.3.3-1] QoS 2 both ways: PUBREC/PUBREL/PUBCOMP, delivered once', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker, { clientId: 'q2-sub' });
    await sub.subscribe('q2', 2);
    const { client: pub } = await MemoryClient.connect(broker);
    pub.send({ type: 'publish', topic: 'q2', payload: text('once'), qos: 2, retain: false, dup: false, packetId: 9 });
    expect(await pub.next('pubrec')).toMatchObject({ packetId: 9 });
    // A resent PUBLISH before PUBREL is not routed again (MQTT-4.3.3-9).
    pub.send({ type: 'publish', topic: 'q2', payload: text('once'), qos: 2, retain: false, dup: true, packetId: 9 });
    expect(await pub.next('pubrec')).toMatchObject({ packetId: 9 });
    pub.send({ type: 'pubrel', packetId: 9 });
    expect(await pub.next('pubcomp')).toMatchObject({ packetId: 9 });
    const delivered = await sub.next('publish');
    expect(delivered.qos).toBe(2);
    sub.send({ type: 'pubrec', packetId: delivered.packetId! });
    expect(await sub.next('pubrel')).toMatchObject({ packetId: delivered.packetId });
    sub.send({ type: 'pubcomp', packetId: delivered.packetId! });
    expect(await sub.nothingWithin(50)).toBe(true);
    expect(broker.sessions.get('q2-sub')!.inflight.size).toBe(0);
  });

  it('[MQTT-3.8.4-6] the granted QoS is a ceiling: QoS 2 published, QoS 1 granted, QoS 1 delivered', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('ceiling', 1);
    const { client: pub } = await MemoryClient.connect(broker);
    pub.send({ type: 'publish', topic: 'ceiling', payload: text('x'), qos: 2, retain: false, dup: false, packetId: 1 });
    expect((await sub.next('publish')).qos).toBe(1);
  });

  it('[MQTT-4.7.2-1] + and # at the first level do not match $SYS topics', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('#');
    await sub.subscribe('+/broker/x');
    const { client: explicit } = await MemoryClient.connect(broker);
    await explicit.subscribe('$SYS/#');
    broker.publish({ topic: '$SYS/broker/x', payload: 'sys' });
    expect((await explicit.next('publish')).topic).toBe('$SYS/broker/x');
    broker.publish({ topic: 'marker', payload: 'm' });
    expect((await sub.next('publish')).topic).toBe('marker');
  });

  it('[MQTT-3.3.4-2] overlapping subscriptions deliver once, at the highest QoS, with every subscription identifier (5.0)', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'home/+/temp', qos: 0 }], properties: { subscriptionIdentifier: [11] } });
    await sub.next('suback');
    sub.send({ type: 'subscribe', packetId: 2, subscriptions: [{ filter: 'home/#', qos: 1 }], properties: { subscriptionIdentifier: [22] } });
    await sub.next('suback');
    broker.publish({ topic: 'home/kitchen/temp', payload: '21', qos: 1 });
    const delivered = await sub.next('publish');
    expect(delivered.qos).toBe(1);
    expect([...(delivered.properties?.subscriptionIdentifier ?? [])].sort()).toEqual([11, 22]);
    broker.publish({ topic: 'marker', payload: '' });
    expect(await sub.nothingWithin(50)).toBe(true);
  });

  it('[MQTT-3.8.3-3] no local: a 5.0 client does not get its own messages back', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'self' });
    client.send({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'echo', qos: 0, noLocal: true }] });
    await client.next('suback');
    const { client: other } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    client.send({ type: 'publish', topic: 'echo', payload: text('mine'), qos: 0, retain: false, dup: false });
    other.send({ type: 'publish', topic: 'echo', payload: text('theirs'), qos: 0, retain: false, dup: false });
    expect(str((await client.next('publish')).payload)).toBe('theirs');
  });

  it('[MQTT-4.8.2-?] shared subscriptions: each message goes to one member, round robin', async () => {
    const broker = memoryBroker();
    const members = await Promise.all([1, 2, 3].map(() => MemoryClient.connect(broker, { protocolVersion: 5 })));
    for (const { client } of members) expect(await client.subscribe('$share/workers/jobs/#', 1)).toEqual([1]);
    for (let i = 0; i < 6; i++) broker.publish({ topic: `jobs/${i}`, payload: String(i), qos: 1 });
    const got = await Promise.all(members.map(async ({ client }) => [str((await client.next('publish')).payload), str((await client.next('publish')).payload)]));
    expect(got.flat().sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    for (const { client } of members) expect(await client.nothingWithin(20)).toBe(true);
  });

  it('[MQTT-3.8.3-4] no local on a shared subscription is a protocol error (DISCONNECT 0x82)', async () => {
    const { client } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5 });
    // Encoded by hand (our encoder refuses it): SUBSCRIBE id 1, no properties, "$share/g/t" with no local set.
    client.rawWrite(Uint8Array.from([0x82, 0x10, 0x00, 0x01, 0x00, 0x00, 0x0a, ...text('$share/g/t'), 0x04]));
    expect((await client.next('disconnect')).reasonCode).toBe(0x82);
  });

  it('[MQTT-3.3.2-4] user properties, content type, response topic and correlation data pass through', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    await sub.subscribe('req', 0);
    const { client: pub } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    const properties = { userProperties: [['a', '1'], ['a', '2']] as [string, string][], contentType: 'text/plain', responseTopic: 'res/1', correlationData: text('c1'), payloadFormatIndicator: 1 };
    pub.send({ type: 'publish', topic: 'req', payload: text('?'), qos: 0, retain: false, dup: false, properties });
    expect((await sub.next('publish')).properties).toMatchObject(properties);
  });

  it('[MQTT-3.10.4-5] UNSUBSCRIBE stops delivery; 5.0 UNSUBACK says 0x11 for a filter that was not subscribed', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    await client.subscribe('u/1');
    client.send({ type: 'unsubscribe', packetId: 3, filters: ['u/1', 'u/2'] });
    expect((await client.next('unsuback')).reasonCodes).toEqual([0x00, 0x11]);
    broker.publish({ topic: 'u/1', payload: 'x' });
    expect(await client.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-3.3.4-?] 5.0 PUBACK says 0x10 when nobody is subscribed', async () => {
    const { client } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5 });
    client.send({ type: 'publish', topic: 'nobody', payload: text('x'), qos: 1, retain: false, dup: false, packetId: 4 });
    expect((await client.next('puback')).reasonCode).toBe(0x10);
  });

  it('[MQTT-4.7.3-?] a PUBLISH to a topic with a wildcard closes the connection (5.0: DISCONNECT 0x90)', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    // Encoded by hand: our encoder refuses to write such a packet.
    client.rawWrite(Uint8Array.from([0x30, 0x05, 0x00, 0x02, 0x61, 0x23, 0x00]));
    expect((await client.next('disconnect')).reasonCode).toBeOneOf([0x81, 0x82, 0x90]);
    await client.closed();
  });

  it('packets of one turn reach a subscriber as one write (coalesced)', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('burst/#');
    const before = sub.writes.length;
    for (let i = 0; i < 20; i++) broker.publish({ topic: `burst/${i}`, payload: 'x' });
    for (let i = 0; i < 20; i++) await sub.next('publish');
    expect(sub.writes.length - before).toBe(1);
  });

  it('routing follows subscription changes between publishes on the same topic (no stale route cache)', async () => {
    const broker = memoryBroker();
    const { client: a } = await MemoryClient.connect(broker);
    await a.subscribe('same/topic');
    broker.publish({ topic: 'same/topic', payload: '1' });
    expect(str((await a.next('publish')).payload)).toBe('1');
    const { client: b } = await MemoryClient.connect(broker);
    await b.subscribe('same/+');
    broker.publish({ topic: 'same/topic', payload: '2' });
    expect(str((await a.next('publish')).payload)).toBe('2');
    expect(str((await b.next('publish')).payload)).toBe('2');
    a.send({ type: 'unsubscribe', packetId: 9, filters: ['same/topic'] });
    await a.next('unsuback');
    broker.publish({ topic: 'same/topic', payload: '3' });
    expect(str((await b.next('publish')).payload)).toBe('3');
    expect(await a.nothingWithin(30)).toBe(true);
  });
});
