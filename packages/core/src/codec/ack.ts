/**
 * The packets that end in "reason code + properties": PUBACK, PUBREC, PUBREL, PUBCOMP (types 4-7, after a packet
 * identifier), DISCONNECT and AUTH (14, 15). At 5.0 the code and properties may be left out when the code is 0
 * and there are no properties [MQTT-3.4.2.1]; 3.1.1 has neither, and no AUTH.
 */
import { PACKET_TYPES, type AuthPacket, type DisconnectPacket, type ProtocolVersion, type PublishAckPacket } from './packets.ts';
import { hasProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { int, invalid } from './validate.ts';
import { writer } from './writer.ts';

export type AckType = 'puback' | 'pubrec' | 'pubrel' | 'pubcomp';
type ReasonPacket = PublishAckPacket<AckType> | DisconnectPacket | AuthPacket;

export function encodeAck(p: ReasonPacket, v: ProtocolVersion): Uint8Array {
  const type = PACKET_TYPES.indexOf(p.type);
  const w = writer.begin();
  if (type < 14) w.u16(int((p as PublishAckPacket<AckType>).packetId));
  else if (type === 15 && v === 4) invalid('type', 'AUTH is MQTT 5.0 only');
  const code = int(p.reasonCode ?? 0, 'reasonCode', 0, v === 4 ? 0 : 255);
  const props = hasProperties(p.properties);
  if (code || props) w.u8(code);
  if (props) writeProperties(w, p.properties, type, v);
  // PUBREL's fixed header flags are 0010 [MQTT-3.6.1-1].
  return w.finish((type << 4) | (type === 6 ? 2 : 0));
}

/** Reads any of these packets, by the type in the first byte; at 5.0 the reason code is always set (0 when left out). */
export function readAck(r: Reader, first: number, v: ProtocolVersion): ReasonPacket {
  const type = first >> 4;
  const packet = { type: PACKET_TYPES[type] } as ReasonPacket;
  if (type < 14) (packet as PublishAckPacket<AckType>).packetId = readPacketId(r);
  if (v === 5) {
    packet.reasonCode = r.left() ? r.u8() : 0;
    if (r.left()) readProperties(r, packet, type, v);
  }
  return packet;
}

/** A packet identifier, which must not be 0 [MQTT-2.3.1-1]. */
export function readPacketId(r: Reader): number {
  return r.u16() || malformed('packet identifier 0');
}
