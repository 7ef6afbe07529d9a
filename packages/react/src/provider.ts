import type { ClientOptions, MqttClientApi } from '@mqttkit/core';
import type { ReactNode } from 'react';
import { MqttContext } from './context.ts';
import { createElement, MqttClient, useEffect, useMemo, useRef, useState } from './externals.ts';
import type { FrameScheduler } from './notify.ts';
import { createTopicStore } from './topic-store.ts';

interface CommonProps {
  children?: ReactNode;
  /** When batched notifications flush; the next animation frame by default. */
  scheduleFrame?: FrameScheduler;
}

/** A client owned elsewhere: the provider neither connects nor closes it. */
export interface ClientProps extends CommonProps {
  client: MqttClientApi;
  url?: never;
  options?: never;
}

/** The provider creates its client in the browser, connects it on mount and closes it on unmount. */
export interface UrlProps extends CommonProps {
  url: string;
  /**
   * Read once, when the client is created; give the provider a new `key` to start over. `unsubscribeDelay`
   * defaults to 1,000 here: a filter stays subscribed for a second after its last component unmounts.
   */
  options?: ClientOptions;
  client?: never;
}

export type MqttProviderProps = ClientProps | UrlProps;

/**
 * Makes a client available to the hooks below it.
 * `<MqttProvider client={client}>` uses a client you own; `<MqttProvider url="ws://host:8080" options={...}>`
 * creates one in the browser only (never during server rendering), connects it and closes it on unmount.
 */
export function MqttProvider(props: MqttProviderProps): ReactNode {
  const [owned] = useState(() =>
    props.client || typeof window == 'undefined' ? undefined : new MqttClient({ unsubscribeDelay: 1000, ...props.options, url: props.url! }),
  );
  const client = props.client ?? owned;
  const store = useMemo(() => createTopicStore(client, props.scheduleFrame), [client]);
  const mounted = useRef(false);
  useEffect(() => {
    if (!owned) return;
    mounted.current = true;
    owned.connect().catch(() => {}); // a final refusal shows in state.error (useMqttStatus)
    return () => {
      mounted.current = false;
      // StrictMode unmounts and remounts in the same task: close only if no remount followed.
      queueMicrotask(() => {
        if (!mounted.current) owned.close().catch(() => {});
      });
    };
  }, [owned]);
  return createElement(MqttContext.Provider, { value: store }, props.children);
}
