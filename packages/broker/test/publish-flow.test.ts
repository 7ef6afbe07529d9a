/**
 * Publisher flow control (src/publish-flow.ts): a persistent subscriber whose queue is full holds its publishers'
 * acknowledgements instead of losing messages they were told were accepted. Found by the 10,000 + 10,000 fault
 * soak: a subscriber slowed by cuts fell 1,000 messages behind and the broker dropped hundreds of PUBACKed ones.
 */
import type { Packet } from '@mqttkit/core';
import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

const publish = (packetId: number, qos: 1 | 2, topic = 'f/x'): Packet => ({ type: 'publish', topic, payload: text(String(packetId)), qos, retain: false, dup: false, packetId });

/** The packets the publisher got before the PINGRESP that answers a PINGREQ sent now (a marker, no timing). */
async function acksSoFar(client: MemoryClient): Promise<string[]> {
  client.send({ type: 'pingreq' });
  const seen: string[] = [];
  for (let packet = await client.nextPacket(); packet.type !== 'pingresp'; packet = await client.nextPacket()) {
    seen.push(`${packet.type} ${'packetId' in packet ? packet.packetId : ''}`);
  }
  return seen;
}

async function congestedSubscriber(broker: ReturnType<typeof memoryBroker>, clean: boolean): Promise<MemoryClient> {
  const { client } = await MemoryClient.connect(broker, { clientId: 'sub', clean });
  await client.subscribe('f/#', 2);
  client.bufferedAmount = 10 * 1024 * 1024; // its socket is full: everything queues
  return client;
}

describe('publisher flow control for a full persistent session', () => {
  it('[MQTT-4.5.0-1] holds PUBACK/PUBREC, in order, until the queue has room; nothing acknowledged is dropped', async () => {
    const broker = memoryBroker({ limits: { maxQueued: 3 } });
    const sub = await congestedSubscriber(broker, false);
    const { client: pub } = await MemoryClient.connect(broker, { clientId: 'pub' });
    for (let id = 1; id <= 3; id++) pub.send(publish(id, 1));
    expect(await acksSoFar(pub)).toEqual(['puback 1', 'puback 2', 'puback 3']);
    // The queue is full: these are kept and their acknowledgements wait, even one for a topic nobody wants.
    pub.send(publish(4, 2));
    pub.send(publish(5, 1));
    pub.send(publish(6, 1, 'elsewhere'));
    expect(await acksSoFar(pub)).toEqual([]);
    expect(broker.sessions.get('sub')!.queue.length).toBe(5);
    sub.drain();
    expect(await acksSoFar(pub)).toEqual(['pubrec 4', 'puback 5', 'puback 6']);
    const delivered: string[] = [];
    for (let i = 0; i < 5; i++) {
      const message = await sub.next('publish');
      delivered.push(str(message.payload));
      sub.send(message.qos === 1 ? { type: 'puback', packetId: message.packetId! } : { type: 'pubrec', packetId: message.packetId! });
    }
    expect(delivered).toEqual(['1', '2', '3', '4', '5']);
    expect(broker.stats.messagesDropped).toBe(0);
  });

  it('a session that makes no room within maxAckHoldMs counts as stalled: acknowledgements go, newcomers are dropped until it catches up', async () => {
    const broker = memoryBroker({ limits: { maxQueued: 2, maxAckHoldMs: 50 } });
    const sub = await congestedSubscriber(broker, false);
    const { client: pub } = await MemoryClient.connect(broker, { clientId: 'pub' });
    pub.send(publish(1, 1));
    pub.send(publish(2, 1));
    pub.send(publish(3, 1));
    expect(await acksSoFar(pub)).toEqual(['puback 1', 'puback 2']);
    // Released by the hold timer (an event we wait for, bounded by nextPacket's timeout).
    expect((await pub.next('puback')).packetId).toBe(3);
    pub.send(publish(4, 1));
    expect(await acksSoFar(pub)).toEqual(['puback 4']);
    expect(broker.stats.messagesDropped).toBe(1);
    // Caught up: the session holds publishers again.
    sub.drain();
    for (let i = 0; i < 3; i++) sub.send({ type: 'puback', packetId: (await sub.next('publish')).packetId! });
    sub.bufferedAmount = 10 * 1024 * 1024;
    for (let id = 5; id <= 7; id++) pub.send(publish(id, 1));
    expect(await acksSoFar(pub)).toEqual(['puback 5', 'puback 6']);
  });

  it('the overflow is bounded per publisher: past receiveMaximum held acknowledgements its newcomers are dropped', async () => {
    const broker = memoryBroker({ limits: { maxQueued: 2, receiveMaximum: 3 } });
    await congestedSubscriber(broker, false);
    const { client: pub } = await MemoryClient.connect(broker, { clientId: 'pub' });
    for (let id = 1; id <= 7; id++) pub.send(publish(id, 1));
    expect(await acksSoFar(pub)).toEqual(['puback 1', 'puback 2']);
    expect(broker.sessions.get('sub')!.queue.length).toBe(5);
    expect(broker.stats.messagesDropped).toBe(2);
    // A second publisher has its own allowance.
    const { client: other } = await MemoryClient.connect(broker, { clientId: 'other' });
    other.send(publish(1, 1));
    expect(await acksSoFar(other)).toEqual([]);
    expect(broker.sessions.get('sub')!.queue.length).toBe(6);
  });

  it('a clean session keeps the drop policy: a transient subscriber never holds a publisher', async () => {
    const broker = memoryBroker({ limits: { maxQueued: 2 } });
    await congestedSubscriber(broker, true);
    const { client: pub } = await MemoryClient.connect(broker, { clientId: 'pub' });
    for (let id = 1; id <= 4; id++) pub.send(publish(id, 1));
    expect(await acksSoFar(pub)).toEqual(['puback 1', 'puback 2', 'puback 3', 'puback 4']);
    expect(broker.stats.messagesDropped).toBe(2);
  });
});
