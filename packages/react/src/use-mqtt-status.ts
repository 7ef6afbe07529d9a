import type { ClientState } from '@mqttkit/core';
import { useMqttStore } from './context.ts';
import { initialClientState, useMemo, useSyncExternalStore } from './externals.ts';

/**
 * The connection's state: `status`, last `error`, reconnect `attempt` and `nextRetryAt`, `queued` publishes, and
 * the rest of core's `ClientState`. Updates at most once per animation frame.
 *
 * @example const { status, queued } = useMqttStatus();
 */
export function useMqttStatus(): ClientState {
  const { client, notify } = useMqttStore();
  const subscribe = useMemo(
    () => (onChange: () => void) => client!.state.subscribe(() => notify(onChange)),
    [client, notify],
  );
  // `getSnapshot` is unbound-safe: StateStore has the shape useSyncExternalStore expects. Without a client (server
  // rendering) React calls only the server snapshot: core's initial state, where hydration starts.
  return useSyncExternalStore(subscribe, client?.state.getSnapshot!, () => initialClientState);
}
