import { useCallback, useSyncExternalStore } from 'react';
import { initialClientState, type ClientState } from '@mqttkit/core';
import { useMqttStore } from './context.ts';

/**
 * The connection's state: `status`, last `error`, reconnect `attempt` and `nextRetryAt`, `queued` publishes, and
 * the rest of core's `ClientState`. Updates at most once per animation frame.
 *
 * @example const { status, queued } = useMqttStatus();
 */
export function useMqttStatus(): ClientState {
  const { client, notify } = useMqttStore();
  const subscribe = useCallback(
    (onChange: () => void) => client!.state.subscribe(() => notify(onChange)),
    [client, notify],
  );
  return useSyncExternalStore(subscribe, () => client!.state.getSnapshot(), () => initialClientState); // the server's view, where hydration starts
}
