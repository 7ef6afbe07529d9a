import type { PubrecPacket } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { released } from '../delivery.ts';
import { Reason } from '../reason-codes.ts';

/** Step two of an outbound QoS 2 delivery: answer PUBREL (MQTT-4.3.3-4), or 0x92 when the id is unknown. */
export function handlePubrec(client: Client, packet: PubrecPacket): void {
  const failed = (packet.reasonCode ?? 0) >= 0x80;
  const known = client.broker.store.transaction(() => released(client.broker, client.session!, packet.packetId, failed));
  if (failed) return;
  if (known || client.protocolVersion === 4) client.send({ type: 'pubrel', packetId: packet.packetId });
  else client.send({ type: 'pubrel', packetId: packet.packetId, reasonCode: Reason.PacketIdentifierNotFound });
}
