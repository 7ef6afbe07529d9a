/** `limits.maxSubscriptionsPerClient`: thousands of filters from one client cannot grow the trie without bound. */
import { describe, expect, it } from 'vitest';
import { MemoryClient, str } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

const subscribe = async (client: MemoryClient, filters: string[], packetId = 1): Promise<number[]> => {
  client.send({ type: 'subscribe', packetId, subscriptions: filters.map((filter) => ({ filter, qos: 1 })) });
  return (await client.next('suback')).reasonCodes;
};

describe('subscriptions per client', () => {
  it('[MQTT-3.9.3-1] 5.0: filters past the limit get SUBACK 0x97 (Quota exceeded) and receive nothing', async () => {
    const broker = memoryBroker({ limits: { maxSubscriptionsPerClient: 2 } });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    expect(await subscribe(client, ['a', 'b', 'c'])).toEqual([1, 1, 0x97]);
    // Replacing a held filter is not a new subscription; after an UNSUBSCRIBE there is room again.
    expect(await subscribe(client, ['a'], 2)).toEqual([1]);
    client.send({ type: 'unsubscribe', packetId: 3, filters: ['b'] });
    await client.next('unsuback');
    expect(await subscribe(client, ['c'], 4)).toEqual([1]);
    broker.publish({ topic: 'b', payload: 'dropped filter', qos: 1 });
    broker.publish({ topic: 'c', payload: 'now held', qos: 1 });
    expect(str((await client.next('publish')).payload)).toBe('now held');
  });

  it('[MQTT-3.9.3-2] 3.1.1: filters past the limit get return code 0x80', async () => {
    const broker = memoryBroker({ limits: { maxSubscriptionsPerClient: 1 } });
    const { client } = await MemoryClient.connect(broker);
    expect(await subscribe(client, ['x/#', 'y/#'])).toEqual([1, 0x80]);
  });
});
