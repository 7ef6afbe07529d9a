/** SUBACK and UNSUBACK (types 9 and 11): a packet identifier and one reason code per filter (UNSUBACK: 5.0 only). */
import { readPacketId } from './ack.ts';
import type { ProtocolVersion, SubackPacket, UnsubackPacket } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { checkInt, invalid } from './validate.ts';
import { writer } from './writer.ts';

/** 3.1.1 SUBACK return codes: granted QoS 0-2 or 0x80 failure [MQTT-3.9.3-2]. */
const isV4Code = (c: number): boolean => c < 3 || c === 0x80;

export function encodeSuback(p: SubackPacket | UnsubackPacket, v: ProtocolVersion): Uint8Array {
  const type = p.type === 'suback' ? 9 : 11;
  checkInt(p.packetId);
  const codes = p.reasonCodes;
  // One code per filter, except a 3.1.1 UNSUBACK, which has none.
  if (!Array.isArray(codes) || !codes.length !== (v === 4 && type === 11)) invalid('reasonCodes', v === 4 && type === 11 ? 'must be empty at 3.1.1' : 'must hold one code per filter');
  codes.forEach((c, i) => {
    checkInt(c, `reasonCodes[${i}]`, 0, 255);
    if (v === 4 && !isV4Code(c)) invalid(`reasonCodes[${i}]`, 'must be 0, 1, 2 or 0x80 at 3.1.1');
  });
  checkProperties(p.properties, type, v);
  const w = writer.begin();
  w.u16(p.packetId);
  if (v === 5) writeProperties(w, p.properties);
  for (const c of codes) w.u8(c);
  return w.finish(type << 4);
}

export function readSuback(r: Reader, first: number, v: ProtocolVersion): SubackPacket | UnsubackPacket {
  const type = first >> 4;
  const packetId = readPacketId(r);
  const props = v === 5 ? readProperties(r, type) : undefined;
  // A 3.1.1 UNSUBACK carries no codes: anything after the packet identifier is left for the trailing-bytes check.
  const reasonCodes = v === 4 && type === 11 ? [] : Array.from(r.bytes(r.left()));
  // One code per filter of the SUBSCRIBE / UNSUBSCRIBE, which holds at least one [MQTT-3.8.3-3] [MQTT-3.10.3-2].
  if (!reasonCodes.length && !(v === 4 && type === 11)) malformed(`${type === 9 ? 'SUBACK' : 'UNSUBACK'} without reason codes`);
  if (v === 4 && type === 9 && !reasonCodes.every(isV4Code)) malformed('SUBACK return code [MQTT-3.9.3-2]');
  const packet: SubackPacket | UnsubackPacket = { type: type === 9 ? 'suback' : 'unsuback', packetId, reasonCodes };
  if (props) packet.properties = props;
  return packet;
}
