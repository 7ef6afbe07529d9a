import type { Message, MqttClientApi, SubscribeOptions, SubscriptionHandle } from '@mqttkit/core';
import { validateTopicFilter } from './externals.ts';
import { createNotifier, type FrameScheduler } from './notify.ts';

/** One client subscription shared by every hook using the same filter and options: the set of their listeners. */
interface Entry extends Set<(message: Message) => void> {
  /** The latest message (retained first), for components that mount later. */
  last?: Message;
  unsubscribe: SubscriptionHandle;
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
 * One `client.subscribe` per filter and options for all components. When the last component leaves, the entry
 * (and its latest message) outlives the task, so StrictMode's double mount and a remount in the same commit keep
 * it; then the client's handle is released, and core's ref-counted subscription applies its `unsubscribeDelay`
 * grace period before UNSUBSCRIBE.
 */
export function createTopicStore(client: MqttClientApi | undefined, scheduleFrame?: FrameScheduler): TopicStore {
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
            // As core does per handler: a throwing callback is reported later, the others still get the message.
            opened.forEach((deliver) => {
              try {
                deliver(message);
              } catch (error) {
                queueMicrotask(() => {
                  throw error;
                });
              }
            });
          },
          options,
        );
        entries.set(key, opened);
      }
      entry.add(listener);
      if (entry.last) listener(entry.last);
      return () => {
        entry.delete(listener);
        if (!entry.size) {
          queueMicrotask(() => {
            // Not if an earlier release already closed this entry (another may hold the key by now).
            if (!entry.size && entries.get(key) == entry) {
              entries.delete(key);
              entry.unsubscribe();
            }
          });
        }
      };
    },
  };
}
