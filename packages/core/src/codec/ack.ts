/** PUBACK, PUBREC, PUBREL, PUBCOMP (types 4-7): one shape, a packet identifier plus a 5.0 reason code. */
import type { ProtocolVersion, PublishAckPacket } from './packets.ts';
import { checkProperties, hasProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { checkInt, checkPacketId } from './validate.ts';
import { writer } from './writer.ts';

export type AckType = 'puback' | 'pubrec' | 'pubrel' | 'pubcomp';

const FIRST_BYTE = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 };

export function encodeAck(p: PublishAckPacket<AckType>, v: ProtocolVersion): Uint8Array {
  checkPacketId(p.packetId);
  const code = p.reasonCode ?? 0;
  checkInt(code, 'reasonCode', 0, v === 4 ? 0 : 255);
  checkProperties(p.properties, p.type, v);
  const w = writer.begin();
  w.u16(p.packetId);
  // 5.0: reason code and properties may be left out when the code is 0 and there are none [MQTT-3.4.2-1].
  const props = hasProperties(p.properties);
  if (code || props) w.u8(code);
  if (props) writeProperties(w, p.properties);
  return w.finish(FIRST_BYTE[p.type]);
}

export function readAck(r: Reader, type: AckType, v: ProtocolVersion): PublishAckPacket<AckType> {
  const packetId = r.u16();
  if (!packetId) malformed('packet identifier 0 [MQTT-2.3.1-1]');
  const packet: PublishAckPacket<AckType> = { type, packetId };
  if (v === 5) {
    packet.reasonCode = r.left() ? r.u8() : 0;
    const props = r.left() ? readProperties(r, type) : undefined;
    if (props) packet.properties = props;
  }
  return packet;
}
