/** The MessageStore contract against the memory store, and the client restoring from a store (a reload). */
import { describe, expect, it } from 'vitest';
import { IndexedDbMessageStore } from '../../src/client/indexeddb-store.ts';
import { MemoryMessageStore } from '../../src/client/memory-store.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { settle } from './fakes.ts';
import { connected, harness } from './harness.ts';
import { messageStoreContract } from './message-store-contract.ts';

describe('MessageStore contract: MemoryMessageStore', () => {
  it.each(messageStoreContract.map((c) => [c.name, c] as const))('%s', async (_name, contract) => {
    await contract.run(new MemoryMessageStore());
  });
});

describe('IndexedDbMessageStore outside a browser', () => {
  it('says there is no IndexedDB and what to use instead (the contract runs against it in Chromium: e2e/client.spec.ts)', () => {
    expect(() => new IndexedDbMessageStore()).toThrow(InvalidArgumentError);
    expect(() => new IndexedDbMessageStore()).toThrow(/MemoryMessageStore/);
  });
});

describe('a client with a store', () => {
  it('stores QoS 1/2 publishes until acknowledged, and offline QoS 0 ones until sent', async () => {
    const store = new MemoryMessageStore();
    const h = harness({ store, protocolVersion: 4 });
    void h.client.publish('t', 'offline-0');
    void h.client.publish('t', 'offline-1', { qos: 1 });
    await settle();
    expect((await store.load()).map((m) => m.topic + ':' + m.qos)).toEqual(['t:0', 't:1']);
    const connection = await connected(h);
    await settle();
    const stored = await store.load();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ qos: 1, packetId: expect.any(Number) });
    connection.deliver({ type: 'puback', packetId: stored[0]!.packetId! });
    await settle();
    expect(await store.load()).toEqual([]);
  });

  it('records PUBREC, so a restored QoS 2 message resumes with PUBREL', async () => {
    const store = new MemoryMessageStore();
    const h = harness({ store, protocolVersion: 4, clean: false });
    const connection = await connected(h);
    void h.client.publish('t', 'x', { qos: 2 }).catch(() => {});
    const id = connection.ofType('publish')[0]!.packetId!;
    connection.deliver({ type: 'pubrec', packetId: id });
    await settle();
    expect(await store.load()).toMatchObject([{ packetId: id, released: true }]);
    // The page goes away: nothing waits for the PUBCOMP.
    await h.client.close({ force: true });

    // The page reloads: a new client on the same store.
    const next = harness({ store, protocolVersion: 4, clean: false });
    const done = next.client.connect();
    await settle();
    const resumed = next.network.accept({ sessionPresent: true });
    await done;
    expect(resumed.sent.filter((p) => p.type !== 'connect')).toEqual([{ type: 'pubrel', packetId: id }]);
    resumed.deliver({ type: 'pubcomp', packetId: id });
    await settle();
    expect(await store.load()).toEqual([]);
  });

  it('after a reload, sends what was queued (in order) and re-sends what was in flight with DUP when the session is present', async () => {
    const store = new MemoryMessageStore();
    const before = harness({ store, protocolVersion: 4, clean: false });
    const first = await connected(before);
    void before.client.publish('t', 'in-flight', { qos: 1 }).catch(() => {});
    const inFlightId = first.ofType('publish')[0]!.packetId!;
    first.drop();
    void before.client.publish('t', 'queued-1', { qos: 1 }).catch(() => {});
    void before.client.publish('t', 'queued-2', { qos: 0 }).catch(() => {});
    await settle();
    await before.client.close();

    const after = harness({ store, protocolVersion: 4, clean: false });
    const done = after.client.connect();
    await settle();
    const connection = after.network.accept({ sessionPresent: true });
    await done;
    const published = connection.ofType('publish');
    expect(published.map((p) => [new TextDecoder().decode(p.payload), p.dup])).toEqual([
      ['in-flight', true],
      ['queued-1', false],
      ['queued-2', false],
    ]);
    expect(published[0]?.packetId).toBe(inFlightId);
    await settle(); // the queued count is published once per tick
    expect(after.client.state.getSnapshot().queued).toBe(2);
  });
});
