/**
 * The WebSocket MQTT client. Separate entries: `IndexedDbMessageStore` (`@mqttkit/core/indexeddb`),
 * `workerClock` (`@mqttkit/core/worker-clock`), and `createClient` with its features (`@mqttkit/core/minimal`).
 */
export type * from './types.ts';
export type { Transport, TransportEvents, TransportFactory, TransportOptions } from './transport.ts';
export type { ClientFeatures, ClientHost, ClientSession, Requester, ServerChoice, TopicAliasMap } from './features.ts';
export { MqttClient, connect, initialClientState } from './client.ts';
export { MqttClientCore } from './client-core.ts';
export { MemoryMessageStore } from './memory-store.ts';
export { createStore, type WritableStore } from './state-store.ts';
export {
  ClientClosedError,
  ConnectionLostError,
  ConnectionRefusedError,
  PublishError,
  QueueFullError,
  SubscribeError,
  TimeoutError,
  reasonNumber,
  type ReasonExplainer,
} from './errors.ts';
export { describeReason } from './reasons.ts';
