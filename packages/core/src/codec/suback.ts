/** SUBACK and UNSUBACK (types 9 and 11): a packet identifier and one reason code per filter. */
import type { ProtocolVersion, SubackPacket, UnsubackPacket } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { checkInt, checkPacketId, invalid } from './validate.ts';
import { writer } from './writer.ts';

/** 3.1.1 SUBACK return codes: granted QoS 0-2 or 0x80 failure [MQTT-3.9.3-2]. */
const isV4SubackCode = (c: number): boolean => c < 3 || c === 0x80;

export function encodeSuback(p: SubackPacket | UnsubackPacket, v: ProtocolVersion): Uint8Array {
  const suback = p.type === 'suback';
  checkPacketId(p.packetId);
  const codes = p.reasonCodes;
  if (!Array.isArray(codes)) invalid('reasonCodes', 'must be an array');
  if (suback || v === 5) {
    if (!codes.length) invalid('reasonCodes', 'must hold one code per filter');
  } else if (codes.length) {
    invalid('reasonCodes', 'must be empty at MQTT 3.1.1: UNSUBACK carries no codes there');
  }
  codes.forEach((c, i) => {
    checkInt(c, `reasonCodes[${i}]`, 0, 255);
    if (v === 4 && !isV4SubackCode(c)) invalid(`reasonCodes[${i}]`, 'must be 0, 1, 2 or 0x80 at MQTT 3.1.1');
  });
  checkProperties(p.properties, p.type, v);
  const w = writer.begin();
  w.u16(p.packetId);
  if (v === 5) writeProperties(w, p.properties);
  for (const c of codes) w.u8(c);
  return w.finish(suback ? 0x90 : 0xb0);
}

export function readSuback<T extends 'suback' | 'unsuback'>(r: Reader, type: T, v: ProtocolVersion): SubackPacket | UnsubackPacket {
  const packetId = r.u16();
  if (!packetId) malformed('packet identifier 0 [MQTT-2.3.1-1]');
  const props = v === 5 ? readProperties(r, type) : undefined;
  const reasonCodes = Array.from(r.bytes(r.left()));
  if (v === 4 && type === 'suback' && !reasonCodes.every(isV4SubackCode)) malformed('SUBACK return code other than 0, 1, 2, 0x80 [MQTT-3.9.3-2]');
  const packet: SubackPacket | UnsubackPacket = { type, packetId, reasonCodes };
  if (props) packet.properties = props;
  return packet;
}
