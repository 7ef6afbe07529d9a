/**
 * Session state across connections: session present, what a reconnect resends (and with which flags and ids),
 * how much of it at once, and what does not survive a connection (topic aliases).
 */
import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';
import type { Broker } from '../src/broker.ts';

const v5 = (clientId: string, sessionExpiryInterval: number, clean = true) => ({ protocolVersion: 5 as const, clientId, clean, properties: { sessionExpiryInterval } });

async function leave(client: MemoryClient): Promise<void> {
  client.send({ type: 'disconnect' });
  await client.closed();
}

/** A 5.0 persistent subscriber to `topic` that received `count` QoS `qos` messages and acknowledged none. */
async function unacknowledged(broker: Broker, clientId: string, topic: string, qos: 1 | 2, count: number): Promise<MemoryClient> {
  const { client } = await MemoryClient.connect(broker, v5(clientId, 60));
  await client.subscribe(topic, qos);
  for (let i = 0; i < count; i++) broker.publish({ topic, payload: String(i), qos });
  for (let i = 0; i < count; i++) await client.next('publish');
  return client;
}

describe('conformance: session state across connections', () => {
  it('[MQTT-3.2.2-3] 5.0 clean start 0: session present 1 when the session outlived its connection, 0 when it ended with it', async () => {
    const broker = memoryBroker();
    const kept = await MemoryClient.connect(broker, v5('kept', 60, false));
    expect(kept.connack.sessionPresent).toBe(false);
    await leave(kept.client);
    expect((await MemoryClient.connect(broker, v5('kept', 60, false))).connack.sessionPresent).toBe(true);
    const ended = await MemoryClient.connect(broker, v5('ended', 0, false));
    await leave(ended.client);
    expect((await MemoryClient.connect(broker, v5('ended', 0, false))).connack.sessionPresent).toBe(false);
  });

  it('[MQTT-3.2.2-2] [MQTT-3.1.2-4] 5.0 clean start 1: session present 0 and the old subscriptions are gone', async () => {
    const broker = memoryBroker();
    const first = await MemoryClient.connect(broker, v5('fresh', 60));
    await first.client.subscribe('old', 1);
    await leave(first.client);
    const again = await MemoryClient.connect(broker, v5('fresh', 60, true));
    expect(again.connack.sessionPresent).toBe(false);
    broker.publish({ topic: 'old', payload: 'x', qos: 1 });
    expect(await again.client.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-3.2.2-6] a refused CONNECT says session present 0 even when a session exists', async () => {
    let allow = true;
    const broker = memoryBroker({ hooks: { authenticate: () => allow } });
    const first = await MemoryClient.connect(broker, v5('guarded', 60, false));
    await leave(first.client);
    allow = false;
    const refused = await MemoryClient.connect(broker, v5('guarded', 60, false));
    expect([refused.connack.reasonCode, refused.connack.sessionPresent]).toEqual([0x86, false]);
  });

  it('[MQTT-3.3.1-1] [MQTT-4.4.0-1] a QoS 2 PUBLISH not yet PUBREC\'d is resent with DUP 1 and its original packet id', async () => {
    const broker = memoryBroker();
    const client = await unacknowledged(broker, 'q2dup', 'q2', 2, 1);
    const inflight = [...broker.sessions.get('q2dup')!.inflightMessages()];
    client.drop();
    const again = await MemoryClient.connect(broker, v5('q2dup', 60, false));
    const resent = await again.client.next('publish');
    expect([resent.dup, resent.qos, resent.packetId, str(resent.payload)]).toEqual([true, 2, inflight[0]!.packetId, '0']);
  });

  it('[MQTT-4.3.3-6] once PUBREL was sent, a reconnect resends the PUBREL and never the PUBLISH', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, v5('released', 60));
    await client.subscribe('rel', 2);
    broker.publish({ topic: 'rel', payload: 'x', qos: 2 });
    const publish = await client.next('publish');
    client.send({ type: 'pubrec', packetId: publish.packetId! });
    await client.next('pubrel');
    client.drop();
    const again = await MemoryClient.connect(broker, v5('released', 60, false));
    expect(await again.client.nextPacket()).toMatchObject({ type: 'pubrel', packetId: publish.packetId });
    again.client.send({ type: 'pubcomp', packetId: publish.packetId! });
    expect(await again.client.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-4.4.0-1] 5.0 clean start 1 resends nothing of the old session', async () => {
    const broker = memoryBroker();
    const client = await unacknowledged(broker, 'nosend', 'ns', 1, 2);
    client.drop();
    const again = await MemoryClient.connect(broker, v5('nosend', 60, true));
    expect(await again.client.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-3.3.4-9] a reconnect resends no more unacknowledged messages than the new Receive Maximum', async () => {
    const broker = memoryBroker();
    const client = await unacknowledged(broker, 'narrow', 'n', 1, 3);
    client.drop();
    const again = await MemoryClient.connect(broker, { ...v5('narrow', 60, false), properties: { sessionExpiryInterval: 60, receiveMaximum: 1 } });
    const first = await again.client.next('publish');
    expect([str(first.payload), first.dup]).toEqual(['0', true]);
    expect(await again.client.nothingWithin(30)).toBe(true);
    const payloads = ['0'];
    again.client.send({ type: 'puback', packetId: first.packetId! });
    for (let i = 1; i < 3; i++) {
      const next = await again.client.next('publish');
      expect(next.dup).toBe(true);
      payloads.push(str(next.payload));
      expect(await again.client.nothingWithin(30)).toBe(true);
      again.client.send({ type: 'puback', packetId: next.packetId! });
    }
    expect(payloads).toEqual(['0', '1', '2']);
  });

  it('[MQTT-3.3.4-9] an acknowledgement of a message not resent yet frees no extra room', async () => {
    const broker = memoryBroker();
    const client = await unacknowledged(broker, 'early', 'e', 1, 3);
    const ids = [...broker.sessions.get('early')!.inflightMessages()].map((out) => out.packetId!);
    client.drop();
    const again = await MemoryClient.connect(broker, { ...v5('early', 60, false), properties: { sessionExpiryInterval: 60, receiveMaximum: 1 } });
    expect((await again.client.next('publish')).packetId).toBe(ids[0]);
    again.client.send({ type: 'puback', packetId: ids[2]! }); // the client had it from the first connection
    expect(await again.client.nothingWithin(30)).toBe(true);
    again.client.send({ type: 'puback', packetId: ids[0]! });
    expect((await again.client.next('publish')).packetId).toBe(ids[1]);
    again.client.send({ type: 'puback', packetId: ids[1]! });
    expect(await again.client.nothingWithin(30)).toBe(true);
    expect(broker.sessions.get('early')!.inflight.size).toBe(0);
  });

  it('[MQTT-3.3.2-7] a topic alias set by the client does not survive its connection', async () => {
    const broker = memoryBroker();
    const first = await MemoryClient.connect(broker, v5('alias', 60));
    first.client.send({ type: 'publish', topic: 'a/long/topic', payload: text('1'), qos: 0, retain: false, dup: false, properties: { topicAlias: 1 } });
    first.client.drop();
    const again = await MemoryClient.connect(broker, v5('alias', 60, false));
    again.client.send({ type: 'publish', topic: '', payload: text('2'), qos: 0, retain: false, dup: false, properties: { topicAlias: 1 } });
    expect((await again.client.next('disconnect')).reasonCode).toBe(0x82);
  });

  it('[MQTT-3.3.2-7] a topic alias the broker set does not survive the connection: the topic is sent again', async () => {
    const broker = memoryBroker();
    const connect = { ...v5('outalias', 60), properties: { sessionExpiryInterval: 60, topicAliasMaximum: 4 } };
    const first = await MemoryClient.connect(broker, connect);
    await first.client.subscribe('o/t');
    broker.publish({ topic: 'o/t', payload: '1' });
    expect((await first.client.next('publish')).properties?.topicAlias).toBe(1);
    first.client.drop();
    const again = await MemoryClient.connect(broker, { ...connect, clean: false });
    broker.publish({ topic: 'o/t', payload: '2' });
    const publish = await again.client.next('publish');
    expect([publish.topic, publish.properties?.topicAlias]).toEqual(['o/t', 1]);
  });

  it('[MQTT-4.1.0-2] 5.0 DISCONNECT lowering the session expiry to 0 ends the session with the connection', async () => {
    const broker = memoryBroker();
    const first = await MemoryClient.connect(broker, v5('shorten', 60));
    await first.client.subscribe('s', 1);
    first.client.send({ type: 'disconnect', properties: { sessionExpiryInterval: 0 } });
    await first.client.closed();
    expect(broker.sessions.has('shorten')).toBe(false);
    expect((await MemoryClient.connect(broker, v5('shorten', 60, false))).connack.sessionPresent).toBe(false);
  });

  it('[MQTT-4.3.3-10] [MQTT-4.4.0-1] a QoS 2 PUBLISH resent after a reconnect, before PUBREL, is not routed again', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('once', 2);
    const first = await MemoryClient.connect(broker, v5('sender', 60));
    const publish = { type: 'publish', topic: 'once', payload: text('x'), qos: 2, retain: false, dup: false, packetId: 11 } as const;
    first.client.send(publish);
    await first.client.next('pubrec');
    first.client.drop();
    const again = await MemoryClient.connect(broker, v5('sender', 60, false));
    again.client.send({ ...publish, dup: true });
    expect((await again.client.next('pubrec')).packetId).toBe(11);
    again.client.send({ type: 'pubrel', packetId: 11 });
    expect(await again.client.next('pubcomp')).toMatchObject({ packetId: 11 });
    expect(str((await sub.next('publish')).payload)).toBe('x');
    expect(await sub.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-3.1.2-4] clean start discards the QoS 2 ids received: the same id is a new message', async () => {
    const broker = memoryBroker();
    const { client: sub } = await MemoryClient.connect(broker);
    await sub.subscribe('twice', 1);
    const publish = { type: 'publish', topic: 'twice', payload: text('x'), qos: 2, retain: false, dup: false, packetId: 12 } as const;
    const first = await MemoryClient.connect(broker, v5('fresh-sender', 60));
    first.client.send(publish);
    await first.client.next('pubrec');
    first.client.drop();
    const again = await MemoryClient.connect(broker, v5('fresh-sender', 60, true));
    again.client.send(publish);
    await again.client.next('pubrec');
    expect([(await sub.next('publish')).topic, (await sub.next('publish')).topic]).toEqual(['twice', 'twice']);
  });

  it('[MQTT-3.3.4-9] a QoS 2 message resent into a window of 1 holds it until PUBCOMP, not PUBREC', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, v5('q2window', 60));
    await client.subscribe('w2/#', 2);
    broker.publish({ topic: 'w2/a', payload: 'a', qos: 2 });
    broker.publish({ topic: 'w2/b', payload: 'b', qos: 2 });
    await client.next('publish');
    await client.next('publish');
    client.drop();
    const again = await MemoryClient.connect(broker, { ...v5('q2window', 60, false), properties: { sessionExpiryInterval: 60, receiveMaximum: 1 } });
    const first = await again.client.next('publish');
    again.client.send({ type: 'pubrec', packetId: first.packetId! });
    expect(await again.client.nextPacket()).toMatchObject({ type: 'pubrel', packetId: first.packetId });
    expect(await again.client.nothingWithin(30)).toBe(true);
    again.client.send({ type: 'pubcomp', packetId: first.packetId! });
    const second = await again.client.next('publish');
    expect([str(first.payload), str(second.payload), second.dup]).toEqual(['a', 'b', true]);
  });
});
