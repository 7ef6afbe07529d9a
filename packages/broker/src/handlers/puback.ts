import type { PubackPacket, PubcompPacket } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { complete } from '../delivery.ts';

/**
 * PUBACK ends a QoS 1 delivery, PUBCOMP a QoS 2 one (one handler, as mosquitto's handle_pubackcomp): the message
 * leaves the session's in-flight window and the next queued one may go. An unknown id is a late duplicate: ignored.
 */
export function handlePubackOrPubcomp(client: Client, packet: PubackPacket | PubcompPacket): void {
  // One transaction for the delete and the queued messages the freed window sends: one commit, not one per row.
  const broker = client.broker;
  broker.store.transaction(() => complete(broker, client.session!, packet.packetId, packet.type === 'puback' ? 'publish' : 'pubrel'));
}
