import type { Message, MessageHandler, SubscribeOptions } from '@mqttkit/core';
import { useMqttStore } from './context.ts';
import { useEffect, useInsertionEffect, useRef } from './externals.ts';
import { keyOf } from './topic-store.ts';

/**
 * Calls `onMessage` with every message matching `filter`, synchronously as it arrives (nothing is batched or
 * dropped). The latest `onMessage` is used without re-subscribing; changing `filter` moves the subscription.
 *
 * @example useMqttSubscription('alerts/#', (message) => log.push(message.topic));
 */
export function useMqttSubscription(filter: string, onMessage: MessageHandler, options: SubscribeOptions = {}): void {
  const store = useMqttStore();
  const key = keyOf(filter, options);
  const handler = useRef(onMessage);
  const seen = useRef<Message>(undefined);
  // Before any other effect, and (unlike useLayoutEffect) without a warning from React 18's server renderer.
  useInsertionEffect(() => {
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
