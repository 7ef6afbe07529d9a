/**
 * PUBACK, PUBREC, PUBREL, PUBCOMP (types 4-7): a packet identifier, then at 5.0 a reason code and properties,
 * both of which may be left out when the code is 0 and there are no properties [MQTT-3.4.2.1].
 * DISCONNECT and AUTH end the same way and reuse `writeReason`/`readReason`.
 */
import { PACKET_TYPES, type AuthPacket, type DisconnectPacket, type ProtocolVersion, type PublishAckPacket } from './packets.ts';
import { checkProperties, hasProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { checkInt } from './validate.ts';
import { writer, type Writer } from './writer.ts';

export type AckType = 'puback' | 'pubrec' | 'pubrel' | 'pubcomp';
type Acked = PublishAckPacket<AckType> | DisconnectPacket | AuthPacket;

/** Checks the reason code (only 0 at 3.1.1) and properties of a packet of type number `type`. */
export function checkReason(p: Acked, type: number, v: ProtocolVersion): void {
  checkInt(p.reasonCode ?? 0, 'reasonCode', 0, v === 4 ? 0 : 255);
  checkProperties(p.properties, type, v);
}

/** Writes the reason code and properties, leaving out what may be left out. */
export function writeReason(w: Writer, p: Acked): void {
  const props = hasProperties(p.properties);
  if (p.reasonCode || props) w.u8(p.reasonCode ?? 0);
  if (props) writeProperties(w, p.properties);
}

/** Reads what `writeReason` wrote into `packet`; at 5.0 the reason code is always set (0 when left out). */
export function readReason<P extends Acked>(r: Reader, packet: P, type: number, v: ProtocolVersion): P {
  if (v === 5) {
    packet.reasonCode = r.left() ? r.u8() : 0;
    const props = r.left() ? readProperties(r, type) : undefined;
    if (props) packet.properties = props;
  }
  return packet;
}

export function encodeAck(p: PublishAckPacket<AckType>, v: ProtocolVersion): Uint8Array {
  const type = PACKET_TYPES.indexOf(p.type);
  checkInt(p.packetId);
  checkReason(p, type, v);
  const w = writer.begin();
  w.u16(p.packetId);
  writeReason(w, p);
  // PUBREL's fixed header flags are 0010 [MQTT-3.6.1-1].
  return w.finish((type << 4) | (type === 6 ? 2 : 0));
}

/** Reads PUBACK, PUBREC, PUBREL or PUBCOMP, by the type in the first byte. */
export function readAck(r: Reader, first: number, v: ProtocolVersion): PublishAckPacket<AckType> {
  const type = first >> 4;
  return readReason(r, { type: PACKET_TYPES[type] as AckType, packetId: readPacketId(r) }, type, v);
}

/** A packet identifier, which must not be 0 [MQTT-2.3.1-1]. */
export function readPacketId(r: Reader): number {
  return r.u16() || malformed('packet identifier 0 [MQTT-2.3.1-1]');
}
