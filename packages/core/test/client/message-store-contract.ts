/**
 * The contract every `MessageStore` keeps, as plain async cases with no test framework in them, so the same
 * cases run under Vitest (memory store) and inside Chromium (IndexedDB store, e2e/pages/client) and the stores
 * cannot drift.
 */
import type { MessageStore, StoredPublish } from '../../src/client/types.ts';

export interface ContractCase {
  name: string;
  /** Resolves when the store keeps the contract; rejects with what differed. */
  run(store: MessageStore): Promise<void>;
}

function message(seq: number, extra: Partial<StoredPublish> = {}): StoredPublish {
  return { seq, topic: `t/${seq}`, payload: new Uint8Array([seq, 1, 2]), qos: 1, retain: false, ...extra };
}

/** A canonical text for a value: Uint8Array as its bytes (rejecting look-alikes), keys sorted. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return { Uint8Array: [...v] };
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}

function assertSame(actual: unknown, expected: unknown, what: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

export const messageStoreContract: ContractCase[] = [
  {
    name: 'loads what was put, ordered by seq, with every field intact (payload stays a Uint8Array)',
    async run(store) {
      await store.clear();
      const props = { contentType: 'text/plain', userProperties: [['a', 'b']] as [string, string][] };
      await store.put(message(3, { qos: 2, released: true, packetId: 9 }));
      await store.put(message(1, { retain: true, properties: props }));
      await store.put(message(2, { qos: 0 }));
      const loaded = await store.load();
      assertSame(loaded, [message(1, { retain: true, properties: props }), message(2, { qos: 0 }), message(3, { qos: 2, released: true, packetId: 9 })], 'load()');
      if (!(loaded[0]?.payload instanceof Uint8Array)) throw new Error('payload came back as something other than a Uint8Array');
    },
  },
  {
    name: 'put with an existing seq replaces it (packet id assigned, PUBREC received)',
    async run(store) {
      await store.clear();
      await store.put(message(1));
      await store.put(message(1, { packetId: 4, released: true }));
      assertSame(await store.load(), [message(1, { packetId: 4, released: true })], 'load() after replacing');
    },
  },
  {
    name: 'keeps a copy: changing the object after put changes nothing stored',
    async run(store) {
      await store.clear();
      const m = message(1);
      await store.put(m);
      m.released = true;
      assertSame(await store.load(), [message(1)], 'load() after mutating the original');
    },
  },
  {
    name: 'delete removes one message, an unknown seq is harmless, clear removes all',
    async run(store) {
      await store.clear();
      await store.put(message(1));
      await store.put(message(2));
      await store.delete(1);
      await store.delete(99);
      assertSame((await store.load()).map((m) => m.seq), [2], 'seqs after delete');
      await store.clear();
      assertSame(await store.load(), [], 'load() after clear');
    },
  },
  {
    name: 'operations issued without awaiting apply in order',
    async run(store) {
      await store.clear();
      await Promise.all([store.put(message(1)), store.put(message(2)), store.delete(1), store.put(message(3)), store.delete(3)]);
      assertSame((await store.load()).map((m) => m.seq), [2], 'seqs after unawaited writes');
    },
  },
];
