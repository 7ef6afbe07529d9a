import type { MessageStore, StoredPublish } from './types.ts';

/**
 * A `MessageStore` in memory. The client keeps unacknowledged messages in memory anyway; pass one of these to
 * hand them from a closed client to the next one in the same page. Use `IndexedDbMessageStore`
 * (`@mqttkit/core/indexeddb`) to survive a reload.
 */
export class MemoryMessageStore implements MessageStore {
  readonly #messages = new Map<number, StoredPublish>();

  async load(): Promise<StoredPublish[]> {
    return [...this.#messages.values()].sort((a, b) => a.seq - b.seq).map((message) => ({ ...message }));
  }

  async put(message: StoredPublish): Promise<void> {
    this.#messages.set(message.seq, { ...message });
  }

  async delete(seq: number): Promise<void> {
    this.#messages.delete(seq);
  }

  async clear(): Promise<void> {
    this.#messages.clear();
  }
}
