/**
 * The contract every `MessageStore` keeps, as one suite: run it against each implementation (memory here, IndexedDB
 * in Chromium) so they cannot drift.
 */
import { describe, expect, it } from 'vitest';
import type { MessageStore, StoredPublish } from '../../src/client/types.ts';

function message(seq: number, extra: Partial<StoredPublish> = {}): StoredPublish {
  return { seq, topic: `t/${seq}`, payload: new Uint8Array([seq, 1, 2]), qos: 1, retain: false, ...extra };
}

export function messageStoreContract(name: string, create: () => MessageStore | Promise<MessageStore>): void {
  describe(`MessageStore contract: ${name}`, () => {
    it('loads what was put, ordered by seq, with every field intact', async () => {
      const store = await create();
      await store.clear();
      await store.put(message(3, { qos: 2, released: true, packetId: 9 }));
      await store.put(message(1, { retain: true, properties: { contentType: 'text/plain', userProperties: [['a', 'b']] } }));
      await store.put(message(2, { qos: 0 }));
      const loaded = await store.load();
      expect(loaded.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(loaded[0]).toEqual(message(1, { retain: true, properties: { contentType: 'text/plain', userProperties: [['a', 'b']] } }));
      expect(loaded[2]).toEqual(message(3, { qos: 2, released: true, packetId: 9 }));
      expect(loaded[0]?.payload).toBeInstanceOf(Uint8Array);
    });

    it('put with an existing seq replaces it (packet id assigned, PUBREC received)', async () => {
      const store = await create();
      await store.clear();
      const m = message(1);
      await store.put(m);
      await store.put({ ...m, packetId: 4, released: true });
      expect(await store.load()).toEqual([{ ...m, packetId: 4, released: true }]);
    });

    it('keeps a copy: changing the object after put does not change what is stored', async () => {
      const store = await create();
      await store.clear();
      const m = message(1);
      await store.put(m);
      m.released = true;
      expect((await store.load())[0]?.released).toBeUndefined();
    });

    it('delete removes one message; deleting an unknown seq is harmless; clear removes all', async () => {
      const store = await create();
      await store.clear();
      await store.put(message(1));
      await store.put(message(2));
      await store.delete(1);
      await store.delete(99);
      expect((await store.load()).map((m) => m.seq)).toEqual([2]);
      await store.clear();
      expect(await store.load()).toEqual([]);
    });

    it('operations issued without awaiting apply in order', async () => {
      const store = await create();
      await store.clear();
      const writes = [store.put(message(1)), store.put(message(2)), store.delete(1), store.put(message(3)), store.delete(3)];
      await Promise.all(writes);
      expect((await store.load()).map((m) => m.seq)).toEqual([2]);
    });
  });
}
