import type { Message, SubscribeOptions } from '@mqttkit/core';
import { useMqttStore } from './context.ts';
import { useMemo, useSyncExternalStore } from './externals.ts';
import { text } from './parse.ts';
import { keyOf } from './topic-store.ts';

export interface TopicOptions<P, T> extends SubscribeOptions {
  /** Turns a payload into a value; UTF-8 text by default, `json` for JSON. A payload it throws on is skipped. */
  parse?: (payload: Uint8Array, message: Message) => P;
  /** Picks what this component shows; it re-renders only when the selected value changes (`Object.is`). A payload it throws on is skipped. */
  select?: (value: P) => T;
  /** The value before any message arrives, and during server rendering. */
  initial?: T;
}

/**
 * The latest value on a topic or filter (a retained message first). Re-renders when a matching message changes
 * the selected value, at most once per animation frame however many messages arrive.
 *
 * @example const temperature = useMqttTopic('home/kitchen/temperature', { parse: json<number>, initial: 0 });
 */
export function useMqttTopic<P = string, T = P>(filter: string, options: TopicOptions<P, T> & { initial: T }): T;
export function useMqttTopic<P = string, T = P>(filter: string, options?: TopicOptions<P, T>): T | undefined;
export function useMqttTopic<P, T>(filter: string, options: TopicOptions<P, T> = {}): T | undefined {
  const store = useMqttStore();
  const { parse = text as (payload: Uint8Array) => P, select, initial, ...subscribeOptions } = options;
  const key = keyOf(filter, subscribeOptions);
  // [subscribe, getSnapshot] (a pair, not an object: its names would survive minification).
  const [subscribe, getSnapshot] = useMemo(() => {
    // Remembered between snapshots so each message is parsed once and a snapshot stays the same object.
    let message: Message | undefined;
    /** The last payload that parsed, boxed: undefined until one does. */
    let parsed: [P] | undefined;
    /** The `select` that made `selected`; null once a new payload parsed. */
    let selector: unknown;
    /** The last good selected value, boxed: undefined until there is one. */
    let selected: [T] | undefined;
    return [
      (onChange: () => void) => store.listen(key, () => store.notify(onChange)),
      (parse: (payload: Uint8Array, message: Message) => P, select?: (value: P) => T, initial?: T): T | undefined => {
        const latest = store.latest(key);
        // A payload `parse` or `select` throws on keeps the last good value rather than breaking the component.
        try {
          // Undefined only before the first message (then equal to `message`).
          if (latest != message) {
            message = latest;
            parsed = [parse(latest!.payload, latest!)];
            selector = null;
          }
          if (parsed && selector !== select) {
            selector = select;
            selected = [select ? select(parsed[0]) : (parsed[0] as unknown as T)];
          }
        } catch {}
        return selected ? selected[0] : initial;
      },
    ] as const;
  }, [store, key]);
  return useSyncExternalStore(subscribe, () => getSnapshot(parse, select, initial), () => initial);
}
