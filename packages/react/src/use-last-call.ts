import { useCallback, useRef, useState } from 'react';
import { MqttError, type MqttClientApi } from '@mqttkit/core';
import { useMqttStore } from './context.ts';

/** The state of the most recent call; earlier calls settling late do not overwrite it. */
export interface LastCall<R> {
  /** True until the last call's promise settles. */
  pending: boolean;
  /** Why the last call failed, if it did. */
  error: Error | undefined;
  /** True while the last call waits in the offline queue (it was made while not connected). */
  queued: boolean;
  /** What the last call resolved with. */
  data: R | undefined;
}

const initialCall: LastCall<never> = { pending: false, error: undefined, queued: false, data: undefined };

/** A stable function calling `run` on the provider's client, and the state of its last call. */
export function useLastCall<A extends unknown[], R>(
  run: (client: MqttClientApi, ...args: A) => Promise<R>,
): [(...args: A) => Promise<R>, LastCall<R>] {
  const { client } = useMqttStore();
  const [state, setState] = useState<LastCall<R>>(initialCall);
  const calls = useRef(0);
  const call = useCallback(
    (...args: A) => {
      if (!client) return Promise.reject(new MqttError('NO_CLIENT', 'call this from an effect or event handler, not during server rendering'));
      const id = ++calls.current;
      const queued = client.state.getSnapshot().status != 'connected';
      const settle = (data: R | undefined, error?: Error) => {
        if (id == calls.current) setState({ pending: false, error, queued: false, data });
      };
      setState({ pending: true, error: undefined, queued, data: undefined });
      const promise = run(client, ...args);
      promise.then(settle, (error: Error) => settle(undefined, error));
      return promise;
    },
    [client],
  );
  return [call, state];
}
