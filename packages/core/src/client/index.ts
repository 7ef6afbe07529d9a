/**
 * The WebSocket MQTT client. Separate entries: `IndexedDbMessageStore` (`@mqttkit/core/indexeddb`) and
 * `workerClock` (`@mqttkit/core/worker-clock`).
 */
export type * from './types.ts';
export type { Transport, TransportEvents, TransportFactory, TransportOptions } from './transport.ts';
export { MqttClient, connect, initialClientState } from './client.ts';
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
} from './errors.ts';
export { describeReason } from './reasons.ts';
