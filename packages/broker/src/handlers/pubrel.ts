import type { PubrelPacket } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { Reason } from '../reason-codes.ts';

/** Step three of an inbound QoS 2 exchange: forget the packet id and answer PUBCOMP (MQTT-4.3.3-11). */
export function handlePubrel(client: Client, packet: PubrelPacket): void {
  const known = client.session!.deleteInboundQos2(packet.packetId);
  if (known || client.protocolVersion === 4) client.send({ type: 'pubcomp', packetId: packet.packetId });
  else client.send({ type: 'pubcomp', packetId: packet.packetId, reasonCode: Reason.PacketIdentifierNotFound });
}
