/**
 * `npm run size` entry: what a QoS 0 subscriber-only app imports (a dashboard that only listens). Everything the
 * app does not call should shake out; what remains is what such an app ships.
 */
import { MqttClient } from '../../packages/core/src/client/client.ts';

export function listen(url: string, filter: string, onMessage: (topic: string, payload: Uint8Array) => void): () => void {
  const client = new MqttClient({ url });
  void client.connect();
  return client.subscribe(filter, (message) => onMessage(message.topic, message.payload));
}
