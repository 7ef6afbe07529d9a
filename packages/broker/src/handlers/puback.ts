import type { PubackPacket, PubcompPacket } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { complete } from '../delivery.ts';

/**
 * PUBACK ends a QoS 1 delivery, PUBCOMP a QoS 2 one (one handler, as mosquitto's handle_pubackcomp): the message
 * leaves the session's in-flight window and the next queued one may go. An unknown id is a late duplicate: ignored.
 */
export function handlePubackOrPubcomp(client: Client, packet: PubackPacket | PubcompPacket): void {
  complete(client.broker, client.session!, packet.packetId, packet.type === 'puback' ? 'publish' : 'pubrel');
}
