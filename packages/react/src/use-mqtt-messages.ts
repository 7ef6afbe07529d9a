import type { Message, SubscribeOptions } from '@mqttkit/core';
import { useMqttStore } from './context.ts';
import { useMemo, useSyncExternalStore } from './externals.ts';
import { keyOf } from './topic-store.ts';

export interface MessagesOptions extends SubscribeOptions {
  /** How many recent messages to keep (default 100). */
  limit?: number;
}

const none: readonly Message[] = [];

/**
 * The most recent `limit` messages matching `filter`, oldest first. Memory stays bounded however long it runs;
 * the list updates at most once per animation frame, so a burst costs one render.
 *
 * @example const events = useMqttMessages('doors/+/events', { limit: 20 });
 */
export function useMqttMessages(filter: string, options: MessagesOptions = {}): readonly Message[] {
  const store = useMqttStore();
  const { limit = 100, ...subscribeOptions } = options;
  const key = keyOf(filter, subscribeOptions);
  const view = useMemo(() => {
    // Appends are O(1); trimming to `limit` happens once the buffer holds twice that, so memory stays ≤ 2 × limit.
    const buffer: Message[] = [];
    let snapshot = none;
    let dirty = false;
    let seen: Message | undefined;
    return {
      subscribe: (onChange: () => void) =>
        store.listen(key, (message) => {
          if (message === seen) return; // StrictMode's re-subscribe replays the latest message
          seen = message;
          if (buffer.push(message) >= 2 * limit) buffer.splice(0, buffer.length - limit);
          dirty = true;
          store.notify(onChange);
        }),
      getSnapshot: () => {
        if (dirty) {
          dirty = false;
          snapshot = buffer.slice(-limit);
        }
        return snapshot;
      },
    };
  }, [store, key, limit]);
  return useSyncExternalStore(view.subscribe, view.getSnapshot, () => none);
}
