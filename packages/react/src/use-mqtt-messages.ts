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
  // [subscribe, getSnapshot] (a pair, not an object: its names would survive minification).
  const [subscribe, getSnapshot] = useMemo(() => {
    // Appends are O(1); trimming to `limit` happens once the buffer holds twice that, so memory stays ≤ 2 × limit.
    // `|| buffer.length`: slice(-0) would keep everything, so limit 0 keeps nothing this way.
    let buffer: Message[] = [];
    // Undefined when messages arrived since the last snapshot.
    let snapshot: readonly Message[] | undefined = none;
    // The limit of the last snapshot: a new `limit` re-slices the buffer rather than starting a new one.
    let max: number;
    return [
      (onChange: () => void) =>
        store.listen(key, (message) => {
          // StrictMode's re-subscribe replays the latest message, which is already the newest here.
          if (message != buffer.at(-1)) {
            if (buffer.push(message) >= 2 * max) buffer = buffer.slice(-max || buffer.length);
            snapshot = undefined;
            store.notify(onChange);
          }
        }),
      (limit: number) => (limit == max && snapshot ? snapshot : (snapshot = buffer.slice(-(max = limit) || buffer.length))),
    ] as const;
  }, [store, key]);
  return useSyncExternalStore(subscribe, () => getSnapshot(limit), () => none);
}
