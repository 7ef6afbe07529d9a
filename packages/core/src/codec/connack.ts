/** CONNACK (type 2): the server's answer to CONNECT. */
import type { ConnackPacket, ProtocolVersion } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { checkBool, checkInt } from './validate.ts';
import { writer } from './writer.ts';

export function encodeConnack(p: ConnackPacket, v: ProtocolVersion): Uint8Array {
  checkBool(p.sessionPresent, 'sessionPresent');
  // 3.1.1 return codes are 0-5 [MQTT-3.2.2-4]; 5.0 reason codes are bytes.
  checkInt(p.reasonCode, 'reasonCode', 0, v === 4 ? 5 : 255);
  checkProperties(p.properties, 'connack', v);
  const w = writer.begin();
  w.u8(p.sessionPresent ? 1 : 0);
  w.u8(p.reasonCode);
  if (v === 5) writeProperties(w, p.properties);
  return w.finish(0x20);
}

export function readConnack(r: Reader, v: ProtocolVersion): ConnackPacket {
  const ackFlags = r.u8();
  if (ackFlags > 1) malformed('reserved CONNACK flags are set [MQTT-3.2.2-1]');
  const packet: ConnackPacket = { type: 'connack', sessionPresent: ackFlags === 1, reasonCode: r.u8() };
  if (v === 4 && packet.reasonCode > 5) malformed(`unknown CONNACK return code ${packet.reasonCode}`);
  const props = v === 5 ? readProperties(r, 'connack') : undefined;
  if (props) packet.properties = props;
  return packet;
}
