import type { MqttClientApi } from '@mqttkit/core';
import { createContext, MqttError, useContext } from './externals.ts';
import type { TopicStore } from './topic-store.ts';

export const MqttContext = createContext<TopicStore | null>(null);

/** The provider's store; throws a readable error outside `<MqttProvider>`. */
export function useMqttStore(): TopicStore {
  const store = useContext(MqttContext);
  if (!store) {
    throw new MqttError('NO_PROVIDER', 'wrap mqttkit hooks in an <MqttProvider>');
  }
  return store;
}

/**
 * The client the nearest `<MqttProvider>` uses, for what the hooks do not cover.
 * `undefined` only during server rendering under a provider that creates its own client (it never does on the server).
 */
export const useMqttClient = (): MqttClientApi | undefined => useMqttStore().client;
