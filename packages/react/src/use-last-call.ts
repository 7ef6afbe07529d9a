import type { MqttClientApi } from '@mqttkit/core';
import { useMqttStore } from './context.ts';
import { useCallback, useRef, useState } from './externals.ts';

/** The state of the most recent call; earlier calls settling late do not overwrite it. */
export interface LastCall<R> {
  /** True until the last call's promise settles. */
  pending: boolean;
  /** Why the last call failed, if it did. */
  error: Error | undefined;
  /** True while the last call waits in the offline queue (it was made while not connected). */
  queued: boolean;
  /** What the last call resolved with. */
  response: R | undefined;
}

/** A stable function calling `run` on the provider's client, and the state of its last call. */
export function useLastCall<A extends unknown[], R>(
  run: (client: MqttClientApi, ...args: A) => Promise<R>,
): [(...args: A) => Promise<R>, LastCall<R>] {
  // Undefined only on the server, where nothing calls it (effects and event handlers do not run there).
  const client = useMqttStore().client!;
  const [state, setState] = useState<LastCall<R>>({ pending: false, error: undefined, queued: false, response: undefined });
  const calls = useRef(0);
  const call = useCallback(
    (...args: A) => {
      const id = ++calls.current;
      const update = (pending: boolean, queued: boolean, response?: R, error?: Error) => {
        if (id == calls.current) setState({ pending, error, queued, response });
      };
      update(true, client.state.getSnapshot().status != 'connected');
      const promise = run(client, ...args);
      promise.then(
        (response) => update(false, false, response),
        (error: Error) => update(false, false, undefined, error),
      );
      return promise;
    },
    [client],
  );
  return [call, state];
}
