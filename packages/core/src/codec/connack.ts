/** CONNACK (type 2): the server's answer to CONNECT. */
import type { ConnackPacket, ProtocolVersion } from './packets.ts';
import { readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { bool, int } from './validate.ts';
import { writer } from './writer.ts';

export function encodeConnack(p: ConnackPacket, v: ProtocolVersion): Uint8Array {
  const w = writer.begin();
  w.u8(+bool(p.sessionPresent, 'sessionPresent'));
  // 3.1.1 return codes are 0-5 [MQTT-3.2.2-4]; 5.0 reason codes are bytes.
  w.u8(int(p.reasonCode, 'reasonCode', 0, v === 4 ? 5 : 255));
  writeProperties(w, p.properties, 2, v);
  return w.finish(0x20);
}

export function readConnack(r: Reader, _first: number, v: ProtocolVersion): ConnackPacket {
  const flags = r.u8();
  const packet: ConnackPacket = { type: 'connack', sessionPresent: flags === 1, reasonCode: r.u8() };
  // Reserved flag bits [MQTT-3.2.2-1]; 3.1.1 return codes 0-5.
  if (flags > 1 || (v === 4 && packet.reasonCode > 5)) malformed('CONNACK flags or return code');
  readProperties(r, packet, 2, v);
  return packet;
}
