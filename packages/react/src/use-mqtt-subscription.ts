import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Message, MessageHandler, SubscribeOptions } from '@mqttkit/core';
import { useMqttStore } from './context.ts';
import { keyOf } from './topic-store.ts';

/** useLayoutEffect in the browser; on the server neither runs, and this avoids React 18's warning. */
export const useBrowserLayoutEffect = typeof window == 'undefined' ? useEffect : useLayoutEffect;

/**
 * Calls `onMessage` with every message matching `filter`, synchronously as it arrives (nothing is batched or
 * dropped). The latest `onMessage` is used without re-subscribing; changing `filter` moves the subscription.
 *
 * @example useMqttSubscription('alerts/#', (message) => log.push(message.topic));
 */
export function useMqttSubscription(filter: string, onMessage: MessageHandler, options?: SubscribeOptions): void {
  const store = useMqttStore();
  const key = keyOf(filter, options);
  const handler = useRef(onMessage);
  const seen = useRef<Message>(undefined);
  useBrowserLayoutEffect(() => {
    handler.current = onMessage;
  });
  useEffect(
    () =>
      store.listen(key, (message) => {
        // StrictMode re-subscribes at once, which replays the latest message: deliver each message once.
        if (message !== seen.current) handler.current((seen.current = message));
      }),
    [store, key],
  );
}
