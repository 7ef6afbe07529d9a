import { MqttClientCore } from './client-core.ts';
import { enhancedAuth } from './enhanced-auth.ts';
import { failover } from './failover.ts';
import type { ClientFeatures } from './features.ts';
import { session } from './session.ts';
import { describeReason } from './reasons.ts';
import { request } from './request.ts';
import { topicAliases } from './topic-aliases.ts';
import type { ClientOptions } from './types.ts';

export { initialClientState } from './client-core.ts';

/** Every optional feature: what `MqttClient` and `connect()` wire in. */
const ALL_FEATURES: ClientFeatures = { session, topicAliases, enhancedAuth, request, failover, reasonTexts: describeReason };

/**
 * The MQTT client with every feature: a thin facade wiring Transport, Session, KeepAlive, Reconnect,
 * Subscriptions, TopicAliases and the OfflineQueue, with its state in an observable store. For a smaller bundle
 * with only some features, see `createClient` (`@mqttkit/core/minimal`).
 *
 * ```ts
 * const client = new MqttClient({ url: 'wss://broker.example/mqtt' });
 * await client.connect();
 * const stop = client.subscribe('home/+/temperature', (m) => console.log(m.topic, m.payload));
 * await client.publish('home/kitchen/light', 'on', { qos: 1 });
 * ```
 */
export class MqttClient extends MqttClientCore {
  constructor(options: ClientOptions) {
    super(options, ALL_FEATURES);
  }
}

/** Creates a client with every feature and starts connecting; the outcome shows in `client.state` (and `client.connect()`). */
export function connect(url: string, options?: Omit<ClientOptions, 'url'>): MqttClient;
export function connect(options: ClientOptions): MqttClient;
export function connect(target: string | ClientOptions, options: Omit<ClientOptions, 'url'> = {}): MqttClient {
  const client = new MqttClient(typeof target === 'string' ? { ...options, url: target } : target);
  void client.connect();
  return client;
}
