/**
 * `@mqttkit/core/minimal`: a client with only the features you pass, so the bundle carries only those.
 *
 * ```ts
 * import { createClient } from '@mqttkit/core/minimal';
 *
 * // A dashboard that only listens (QoS 0/1): connect, reconnect, keepalive, subscriptions, state.
 * const client = createClient({ url: 'wss://broker.example/mqtt' });
 * client.subscribe('home/+/temperature', (m) => console.log(m.topic, m.payload));
 *
 * // Add what you use: publishing (QoS 0/1/2, offline queue, store), readable reason codes, ...
 * import { createClient, session, reasonTexts } from '@mqttkit/core/minimal';
 * const panel = createClient({ url }, { session, reasonTexts });
 * await panel.publish('home/kitchen/light', 'on', { qos: 1 });
 * ```
 */
import { MqttClientCore } from './client-core.ts';
import type { ClientFeatures } from './features.ts';
import type { ClientOptions } from './types.ts';

export { MqttClientCore } from './client-core.ts';
export { enhancedAuth } from './enhanced-auth.ts';
export { failover } from './failover.ts';
export type { ClientFeatures, ClientHost, ClientSession, Requester, ServerChoice, TopicAliasMap } from './features.ts';
export { session } from './session.ts';
export { describeReason, reasonTexts } from './reasons.ts';
export { request } from './request.ts';
export { topicAliases } from './topic-aliases.ts';

/**
 * Creates a client with only `features` and starts connecting (like `connect()`, which is this with every
 * feature). Without `session`, `publish()` rejects and the client cannot receive QoS 2; without `request`,
 * `request()` rejects; without `reasonTexts`, errors give reason codes as numbers (`describeReason` explains them).
 * Options that need a missing feature (`authenticate`, `properties.topicAliasMaximum`, several `servers`,
 * `followServerReference`) throw `InvalidArgumentError` here, naming the feature.
 */
export function createClient(options: ClientOptions, features: ClientFeatures = {}): MqttClientCore {
  const client = new MqttClientCore(options, features);
  void client.connect();
  return client;
}
