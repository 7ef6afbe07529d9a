/**
 * SUBSCRIBE and UNSUBSCRIBE answers, and what a new subscription is sent at once: retained messages with their
 * QoS, RETAIN flag and subscription identifier, per the retain handling option.
 */
import { describe, expect, it } from 'vitest';
import { MemoryClient, str } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

describe('conformance: SUBSCRIBE, UNSUBSCRIBE and retained deliveries', () => {
  it('[MQTT-3.11.3-1] [MQTT-3.10.4-6] 5.0 UNSUBACK has one reason code per filter, in order: 0x00 or 0x11', async () => {
    const { client } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5 });
    await client.subscribe('u/a');
    await client.subscribe('$share/g/u/b');
    client.send({ type: 'unsubscribe', packetId: 4, filters: ['never', 'u/a', '$share/g/u/b', 'u/a'] });
    const unsuback = await client.next('unsuback');
    expect([unsuback.packetId, unsuback.reasonCodes]).toEqual([4, [0x11, 0x00, 0x00, 0x11]]);
  });

  it('[MQTT-3.10.4-5] 3.1.1 UNSUBACK comes even when nothing was subscribed', async () => {
    const { client } = await MemoryClient.connect(memoryBroker());
    client.send({ type: 'unsubscribe', packetId: 6, filters: ['nothing/here'] });
    expect((await client.next('unsuback')).packetId).toBe(6);
  });

  it('[MQTT-3.10.4-1] UNSUBSCRIBE compares filters character by character: a filter that only matches stays', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    await client.subscribe('x/+');
    client.send({ type: 'unsubscribe', packetId: 2, filters: ['x/a', 'x/#'] });
    expect((await client.next('unsuback')).reasonCodes).toEqual([0x11, 0x11]);
    broker.publish({ topic: 'x/a', payload: 'still' });
    expect(str((await client.next('publish')).payload)).toBe('still');
  });

  it('[MQTT-3.8.4-8] a retained message goes out at the lower of its QoS and the granted QoS', async () => {
    const broker = memoryBroker();
    broker.publish({ topic: 'rq/2', payload: 'two', qos: 2, retain: true });
    broker.publish({ topic: 'rq/0', payload: 'zero', qos: 0, retain: true });
    const { client } = await MemoryClient.connect(broker);
    await client.subscribe('rq/#', 1);
    const got = [await client.next('publish'), await client.next('publish')].map((p) => [p.topic, p.qos, p.retain]);
    expect(got.sort()).toEqual([['rq/0', 0, true], ['rq/2', 1, true]]);
  });

  it('[MQTT-3.3.4-3] a retained message sent for a new subscription carries its subscription identifier', async () => {
    const broker = memoryBroker();
    broker.publish({ topic: 'sid/a', payload: 'kept', retain: true });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    client.send({ type: 'subscribe', packetId: 1, properties: { subscriptionIdentifier: [42] }, subscriptions: [{ filter: 'sid/+', qos: 0 }] });
    await client.next('suback');
    const retained = await client.next('publish');
    expect([retained.retain, retained.properties?.subscriptionIdentifier]).toEqual([true, [42]]);
  });

  it('[MQTT-3.3.4-6] a subscription without an identifier gets retained messages without one', async () => {
    const broker = memoryBroker();
    broker.publish({ topic: 'nosid', payload: 'kept', retain: true });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    client.send({ type: 'subscribe', packetId: 1, properties: { subscriptionIdentifier: [5] }, subscriptions: [{ filter: 'other', qos: 0 }] });
    await client.next('suback');
    await client.subscribe('nosid');
    expect((await client.next('publish')).properties?.subscriptionIdentifier).toBeUndefined();
  });

  it('[MQTT-3.8.4-3] [MQTT-3.8.4-4] re-subscribing replaces the subscription and, with retain handling 0, re-sends retained messages', async () => {
    const broker = memoryBroker();
    broker.publish({ topic: 're', payload: 'kept', qos: 1, retain: true });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    await client.subscribe('re', 0);
    expect((await client.next('publish')).qos).toBe(0);
    await client.subscribe('re', 1);
    const again = await client.next('publish');
    expect([str(again.payload), again.qos, again.retain]).toEqual(['kept', 1, true]);
    client.send({ type: 'puback', packetId: again.packetId! });
    broker.publish({ topic: 're', payload: 'live', qos: 1 });
    const live = await client.next('publish');
    expect([str(live.payload), live.qos]).toEqual(['live', 1]);
    expect(await client.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-3.8.4-5] a SUBSCRIBE with several filters is handled as several: one SUBACK, retained for each', async () => {
    const broker = memoryBroker();
    broker.publish({ topic: 'm/a', payload: 'a', retain: true });
    broker.publish({ topic: 'n/b', payload: 'b', retain: true });
    const { client } = await MemoryClient.connect(broker);
    client.send({ type: 'subscribe', packetId: 3, subscriptions: [{ filter: 'm/a', qos: 0 }, { filter: 'n/+', qos: 0 }] });
    expect((await client.next('suback')).reasonCodes).toEqual([0, 0]);
    const topics = [(await client.next('publish')).topic, (await client.next('publish')).topic];
    expect(topics.sort()).toEqual(['m/a', 'n/b']);
  });

  it('[MQTT-4.7.2-1] [MQTT-4.7.1-2] retained messages follow the matching rules: # covers its parent, wildcards skip $ topics', async () => {
    const broker = memoryBroker();
    for (const topic of ['sport', 'sport/tennis', '$SYS/uptime', '$x/b', '/finance']) broker.publish({ topic, payload: topic, retain: true });
    const matched = async (filter: string): Promise<string[]> => {
      const { client } = await MemoryClient.connect(broker);
      await client.subscribe(filter);
      client.send({ type: 'pingreq' }); // the PINGRESP comes after every retained message the SUBSCRIBE sent
      const topics: string[] = [];
      for (let packet = await client.nextPacket(); packet.type !== 'pingresp'; packet = await client.nextPacket()) {
        if (packet.type === 'publish') topics.push(packet.topic);
      }
      return topics.sort();
    };
    expect(await matched('sport/#')).toEqual(['sport', 'sport/tennis']);
    expect(await matched('#')).toEqual(['/finance', 'sport', 'sport/tennis']);
    expect(await matched('+/b')).toEqual([]);
    expect(await matched('+/+')).toEqual(['/finance', 'sport/tennis']);
    expect(await matched('$SYS/#')).toEqual(['$SYS/uptime']);
  });
});
