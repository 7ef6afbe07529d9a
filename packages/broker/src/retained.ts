import { matches } from '@mqttkit/core/topics';
import type { BrokerMessage } from './message.ts';
import type { SessionStore } from './store/types.ts';

/**
 * The last retained message per topic (MQTT-3.3.1-5), written through to the store; broker-generated `$SYS`
 * values are kept in memory only.
 */
export class RetainedMessages {
  private readonly messages = new Map<string, BrokerMessage>();
  constructor(private readonly store: SessionStore) {}

  /** Stores `message`, or clears the topic when its payload is empty (MQTT-3.3.1-6/7). */
  set(message: BrokerMessage, persist = true): void {
    if (message.payload.length === 0) {
      if (this.messages.delete(message.topic) && persist) this.store.deleteRetained(message.topic);
      return;
    }
    this.messages.set(message.topic, message);
    if (persist) this.store.saveRetained(message);
  }

  restore(message: BrokerMessage): void {
    this.messages.set(message.topic, message);
  }

  /** Retained messages whose topic matches `filter`, skipping and forgetting expired ones. */
  match(filter: string, now: number): BrokerMessage[] {
    const found: BrokerMessage[] = [];
    const exact = !filter.includes('+') && !filter.includes('#');
    const candidates = exact ? [this.messages.get(filter)].filter((m) => m !== undefined) : this.messages.values();
    for (const message of candidates) {
      if (!exact && !matches(filter, message.topic)) continue;
      if (message.expiresAt !== undefined && message.expiresAt <= now) {
        this.messages.delete(message.topic);
        this.store.deleteRetained(message.topic);
        continue;
      }
      found.push(message);
    }
    return found;
  }

  get size(): number {
    return this.messages.size;
  }
}
