/**
 * `npm run size` entry: what a QoS 0 subscriber-only app imports (a dashboard that only listens): `createClient`
 * with no features. Everything the app does not call should shake out; what remains is what such an app ships.
 */
import { createClient } from '../../packages/core/src/client/minimal.ts';

export function listen(url: string, filter: string, onMessage: (topic: string, payload: Uint8Array) => void): () => void {
  const client = createClient({ url });
  return client.subscribe(filter, (message) => onMessage(message.topic, message.payload));
}
