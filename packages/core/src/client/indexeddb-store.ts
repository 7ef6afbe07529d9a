/**
 * `@mqttkit/core/indexeddb`: a `MessageStore` in IndexedDB, so queued and unacknowledged QoS 1/2 publishes
 * survive a page reload and are sent when the next client in that page connects.
 */
import { InvalidArgumentError } from '../errors.ts';
import type { MessageStore, StoredPublish } from './types.ts';

const STORE = 'publishes';

export interface IndexedDbMessageStoreOptions {
  /** Database name (default `mqttkit`); use one per client id when a page runs several persistent clients. */
  name?: string;
  /** The IndexedDB factory, `globalThis.indexedDB` by default. */
  indexedDB?: IDBFactory;
}

/** Resolves with a request's result once it succeeds. */
function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export class IndexedDbMessageStore implements MessageStore {
  readonly #db: Promise<IDBDatabase>;

  constructor(options: IndexedDbMessageStoreOptions = {}) {
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (factory === undefined) {
      throw new InvalidArgumentError('indexedDB', 'there is no IndexedDB here (Node?): pass options.indexedDB, or use MemoryMessageStore');
    }
    const request = factory.open(options.name ?? 'mqttkit', 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: 'seq' });
    };
    this.#db = done(request);
  }

  async #run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.#db;
    const transaction = db.transaction(STORE, mode);
    const result = done(work(transaction.objectStore(STORE)));
    if (mode === 'readonly') return result;
    // A write counts once its transaction commits, not when its request succeeds.
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = transaction.onabort = () => reject(transaction.error);
    });
    return result;
  }

  async load(): Promise<StoredPublish[]> {
    // Keys are `seq`, so getAll returns them in order.
    return this.#run('readonly', (store) => store.getAll() as IDBRequest<StoredPublish[]>);
  }

  async put(message: StoredPublish): Promise<void> {
    await this.#run('readwrite', (store) => store.put(message));
  }

  async delete(seq: number): Promise<void> {
    await this.#run('readwrite', (store) => store.delete(seq));
  }

  async clear(): Promise<void> {
    await this.#run('readwrite', (store) => store.clear());
  }

  /** Closes the database connection. */
  async close(): Promise<void> {
    (await this.#db).close();
  }
}
