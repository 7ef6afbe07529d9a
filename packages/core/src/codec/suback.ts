/** SUBACK and UNSUBACK (types 9 and 11): a packet identifier and one reason code per filter (UNSUBACK: 5.0 only). */
import { readPacketId } from './ack.ts';
import type { ProtocolVersion, SubackPacket, UnsubackPacket } from './packets.ts';
import { readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { int, invalid } from './validate.ts';
import { writer } from './writer.ts';

/** 3.1.1 SUBACK return codes: granted QoS 0-2 or 0x80 failure [MQTT-3.9.3-2]. */
const V4_CODES = [0, 1, 2, 0x80];

export function encodeSuback(p: SubackPacket | UnsubackPacket, v: ProtocolVersion): Uint8Array {
  const type = p.type === 'suback' ? 9 : 11;
  // One code per filter, except in a 3.1.1 UNSUBACK, which has none.
  const none = v === 4 && type === 11;
  const codes = p.reasonCodes;
  if (!Array.isArray(codes) || !codes.length !== none) invalid('reasonCodes', none ? 'must be empty at 3.1.1' : 'must hold one code per filter');
  const w = writer.begin();
  w.u16(int(p.packetId));
  writeProperties(w, p.properties, type, v);
  codes.forEach((c, i) => {
    // `c & 255` is `c` only for an integer from 0 to 255.
    if (v === 4 ? !V4_CODES.includes(c) : c !== (c & 255)) invalid(`reasonCodes[${i}]`, v === 4 ? 'must be 0, 1, 2 or 0x80 at 3.1.1' : 'must be a byte');
    w.u8(c);
  });
  return w.finish(type << 4);
}

export function readSuback(r: Reader, first: number, v: ProtocolVersion): SubackPacket | UnsubackPacket {
  const type = first >> 4;
  const none = v === 4 && type === 11;
  const packet: SubackPacket | UnsubackPacket = { type: type === 9 ? 'suback' : 'unsuback', packetId: readPacketId(r), reasonCodes: [] };
  readProperties(r, packet, type, v);
  // A 3.1.1 UNSUBACK carries no codes: anything after the packet identifier is left for the trailing-bytes check.
  if (!none) packet.reasonCodes = Array.from(r.bytes(r.left()));
  // One code per filter of the SUBSCRIBE / UNSUBSCRIBE, which holds at least one [MQTT-3.8.3-3] [MQTT-3.10.3-2].
  if (!packet.reasonCodes.length !== none || (v === 4 && !packet.reasonCodes.every((c) => V4_CODES.includes(c)))) malformed('SUBACK/UNSUBACK reason codes');
  return packet;
}
