import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { Message, SubscribeOptions } from '@mqttkit/core';
import { useMqttStore } from './context.ts';
import { text } from './parse.ts';
import { keyOf } from './topic-store.ts';

export interface TopicOptions<P, T> extends SubscribeOptions {
  /** Turns a payload into a value; UTF-8 text by default, `json` for JSON. A payload it throws on is skipped. */
  parse?: (payload: Uint8Array, message: Message) => P;
  /** Picks what this component shows; it re-renders only when the selected value changes (`Object.is`). */
  select?: (value: P) => T;
  /** The value before any message arrives, and during server rendering. */
  initial?: T;
}

/** What a hook remembers between snapshots, so a message is parsed once and a snapshot is stable. */
interface Cache {
  key?: string;
  message?: Message;
  parsed?: unknown;
  hasValue?: boolean;
  selectedFrom?: unknown;
  selector?: unknown;
  value?: unknown;
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
  const cacheRef = useRef<Cache>({});
  const subscribe = useCallback(
    (onChange: () => void) => store.listen(key, () => store.notify(onChange)),
    [store, key],
  );
  const getSnapshot = (): T | undefined => {
    let cache = cacheRef.current;
    if (cache.key !== key) cache = cacheRef.current = { key };
    const message = store.latest(key);
    if (message && message !== cache.message) {
      cache.message = message;
      try {
        cache.parsed = parse(message.payload, message);
        cache.hasValue = true;
      } catch {
        // A malformed payload keeps the last good value rather than breaking the component.
      }
    }
    if (!cache.hasValue) return initial;
    if (cache.selectedFrom !== cache.parsed || cache.selector !== select) {
      cache.selectedFrom = cache.parsed;
      cache.selector = select;
      cache.value = select ? select(cache.parsed as P) : cache.parsed;
    }
    return cache.value as T;
  };
  return useSyncExternalStore(subscribe, getSnapshot, () => initial);
}
