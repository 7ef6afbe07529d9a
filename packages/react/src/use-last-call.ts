import type { MqttClientApi } from '@mqttkit/core';
import { useMqttStore } from './context.ts';
import { MqttError, useMemo, useRef, useState } from './externals.ts';

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

/** The client calls whose last call a hook tracks. */
type Calls = Pick<MqttClientApi, 'publish' | 'request'>;

/** A call's state; with no arguments, before any call. */
const lastCall = <R>(response?: R, error?: Error, pending = false, queued = false): LastCall<R> => ({
  pending,
  error,
  queued,
  response,
});

/**
 * The state of the last call plus, under `method`'s name, a stable function calling the provider's client's
 * `method` (naming the method rather than wrapping it keeps one copy of the call-tracking code in the bundle).
 */
export function useLastCall<M extends keyof Calls>(
  method: M,
): LastCall<Awaited<ReturnType<Calls[M]>>> & Record<M, Calls[M]> {
  type R = Awaited<ReturnType<Calls[M]>>;
  // Undefined only while rendering on the server, where effects and event handlers do not run.
  const { client } = useMqttStore();
  const [state, setState] = useState(lastCall<R>);
  const last = useRef<Promise<R>>(undefined);
  const call = useMemo(
    () =>
      (...args: Parameters<Calls[M]>) => {
        if (!client) throw new MqttError('SERVER_RENDER', `call mqttkit ${method} in an effect or event handler`);
        const promise = (last.current = (client[method] as (...args: Parameters<Calls[M]>) => Promise<R>)(...args));
        const update = (...next: Parameters<typeof lastCall<R>>) => {
          if (promise == last.current) setState(lastCall(...next));
        };
        update(undefined, undefined, true, client.state.getSnapshot().status != 'connected');
        promise.then(update, (error: Error) => update(undefined, error));
        return promise;
      },
    [client],
  );
  return { ...state, [method]: call } as LastCall<R> & Record<M, Calls[M]>;
}
