import type { Clock, Message, MqttClientApi, SubscribeOptions, SubscriptionHandle } from '@mqttkit/core';
import { validateTopicFilter } from './externals.ts';
import { createNotifier, type FrameScheduler } from './notify.ts';

/** The timers the grace period uses; core's `Clock` fits. */
export type Timers = Pick<Clock, 'setTimeout' | 'clearTimeout'>;

/** One client subscription shared by every hook using the same filter and options: the set of their listeners. */
interface Entry extends Set<(message: Message) => void> {
  /** The latest message (retained first), for components that mount later. */
  last?: Message;
  unsubscribe: SubscriptionHandle;
  release?: unknown;
}

/** What `MqttProvider` gives its hooks. */
export interface TopicStore {
  /** Undefined only while rendering on the server with a provider that owns its client. */
  readonly client: MqttClientApi | undefined;
  /** The latest message for `key` (see `keyOf`), if any hook holds it. Pure: safe in render and on the server. */
  latest(key: string): Message | undefined;
  /**
   * Calls `listener` with the latest message, then with every new one; returns the release function.
   * Pass a new function per call: listeners are kept in a set.
   */
  listen(key: string, listener: (message: Message) => void): () => void;
  /** Runs `callback` on the next batch (animation frame), once however often it is queued before then. */
  notify(callback: () => void): void;
}

/** Validates `filter` (throws core's InvalidArgumentError) and names the shared subscription it belongs to. */
export const keyOf = (filter: string, options: SubscribeOptions): string => {
  validateTopicFilter(filter);
  return JSON.stringify([filter, options]);
};

/**
 * One `client.subscribe` per filter for all components. The last release is deferred by `gracePeriod` ms
 * (TanStack's `removable`): StrictMode's double mount and a remount on navigation keep the subscription instead
 * of churning UNSUBSCRIBE/SUBSCRIBE.
 */
export function createTopicStore(
  client: MqttClientApi | undefined,
  {
    gracePeriod = 1000,
    timers = globalThis as unknown as Timers,
    scheduleFrame,
  }: { gracePeriod?: number; timers?: Timers; scheduleFrame?: FrameScheduler },
): TopicStore {
  const entries = new Map<string, Entry>();
  return {
    client,
    notify: createNotifier(scheduleFrame),
    latest: (key) => entries.get(key)?.last,
    listen(key, listener) {
      let entry = entries.get(key);
      if (!entry) {
        // The first listener opens the client subscription (inline here: a helper costs bytes in the bundle).
        const [filter, options] = JSON.parse(key) as [string, SubscribeOptions];
        const opened = (entry = new Set() as Entry);
        opened.unsubscribe = client!.subscribe(
          filter,
          (message) => {
            opened.last = message;
            opened.forEach((deliver) => deliver(message));
          },
          options,
        );
        entries.set(key, opened);
      }
      timers.clearTimeout(entry.release);
      entry.add(listener);
      if (entry.last) listener(entry.last);
      return () => {
        entry.delete(listener);
        if (!entry.size) {
          entry.release = timers.setTimeout(() => {
            entries.delete(key);
            entry.unsubscribe();
          }, gracePeriod);
        }
      };
    },
  };
}
