/** What a full offline queue does with one more publish. */
export type OverflowPolicy = 'drop-oldest' | 'reject-new';

/**
 * Publishes waiting to be sent, in order. Publishes made while the client is offline are bounded by `limit`:
 * when that many are waiting, `reject-new` (the default) refuses the new publish and `drop-oldest` evicts the
 * oldest one made offline; either way the refused publish's promise rejects with `QueueFullError`, so nothing is
 * dropped silently. Publishes made while connected that wait for the server's Receive Maximum are not counted
 * (the caller holds their promises and can await them for backpressure), nor are those restored from a store.
 */
export class OfflineQueue<T> {
  #items: T[] = [];
  #head = 0;
  /** The waiting items that count against `limit`. */
  readonly #bounded = new Set<T>();

  constructor(
    readonly limit = 1_000,
    readonly overflow: OverflowPolicy = 'reject-new',
  ) {}

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends `item`; when `bounded` (made offline) and the limit is reached, returns the item refused. */
  push(item: T, bounded: boolean): T | undefined {
    let refused: T | undefined;
    if (bounded && this.#bounded.size >= this.limit) {
      if (this.overflow === 'reject-new' || this.limit === 0) return item;
      refused = this.#evictOldestBounded();
    }
    this.#items.push(item);
    if (bounded) this.#bounded.add(item);
    return refused;
  }

  #evictOldestBounded(): T | undefined {
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i] as T;
      if (this.#bounded.delete(item)) {
        this.#items.splice(i, 1);
        return item;
      }
    }
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
    const item = this.#items[this.#head] as T;
    this.#head++;
    this.#bounded.delete(item);
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
    this.#bounded.clear();
    return items;
  }
}
