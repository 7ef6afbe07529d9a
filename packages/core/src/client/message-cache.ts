import type { Message } from './types.ts';

/**
 * The last message seen per topic, bounded (least recently updated topics go first). Lets a late subscriber to an
 * already-subscribed filter get current values at once, without a new SUBSCRIBE.
 */
export class MessageCache {
  readonly #messages = new Map<string, Message>();

  constructor(readonly limit = 1_000) {}

  set(message: Message): void {
    if (this.limit === 0) return;
    this.#messages.delete(message.topic);
    // An empty retained message clears the retained value [MQTT-3.3.1-10]: nothing current to remember.
    if (message.retain && message.payload.byteLength === 0) return;
    // Decoded payloads are views into the frame they came in; keep a small one without pinning a large frame.
    const { payload } = message;
    const pinned = payload.byteLength * 4 < payload.buffer.byteLength;
    this.#messages.set(message.topic, pinned ? { ...message, payload: payload.slice() } : message);
    if (this.#messages.size > this.limit) this.#messages.delete(this.#messages.keys().next().value as string);
  }

  /** Cached messages whose topic passes `test` (a filter matches it), oldest update first. */
  matching(test: (topic: string) => boolean): Message[] {
    return [...this.#messages.values()].filter((message) => test(message.topic));
  }

  /** Forgets topics `keep` says no subscription covers any more. */
  prune(keep: (topic: string) => boolean): void {
    for (const topic of [...this.#messages.keys()]) if (!keep(topic)) this.#messages.delete(topic);
  }
}
