/** What a full offline queue does with one more publish. */
export type OverflowPolicy = 'drop-oldest' | 'reject-new';

/**
 * Publishes waiting to be sent, in order. While the client is offline the queue is bounded by `limit`: when
 * full, `reject-new` (the default) refuses the new publish and `drop-oldest` evicts the oldest waiting one;
 * either way the refused publish's promise rejects with `QueueFullError`, so nothing is dropped silently.
 * While connected, publishes waiting for the server's Receive Maximum are not bounded (the caller holds their
 * promises and can await them for backpressure).
 */
export class OfflineQueue<T> {
  #items: T[] = [];
  #head = 0;

  constructor(
    readonly limit = 1_000,
    readonly overflow: OverflowPolicy = 'reject-new',
  ) {}

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends `item`; when `bounded` and full, returns the item refused (the new one or the evicted oldest). */
  push(item: T, bounded: boolean): T | undefined {
    if (bounded && this.length >= this.limit) {
      if (this.overflow === 'reject-new' || this.limit === 0) return item;
      const evicted = this.shift();
      this.#items.push(item);
      return evicted;
    }
    this.#items.push(item);
    return undefined;
  }

  /** Puts items back at the front, keeping their order (restored from a store). */
  unshift(items: T[]): void {
    this.#items = [...items, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#head++;
    // Compact now and then so shifting stays O(1) amortised without holding on to sent items.
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const items = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    return items;
  }
}
