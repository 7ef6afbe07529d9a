import type { Client } from '../client.ts';

/** MQTT-3.12.4-1: answer every PINGREQ. Receiving it already refreshed the keepalive. */
export function handlePingreq(client: Client): void {
  client.send({ type: 'pingresp' });
}
