/** DISCONNECT (type 14) and AUTH (type 15, 5.0 only): an optional reason code and properties. */
import type { AuthPacket, DisconnectPacket, ProtocolVersion } from './packets.ts';
import { checkProperties, hasProperties, readProperties, writeProperties } from './properties.ts';
import type { Reader } from './reader.ts';
import { checkInt, invalid } from './validate.ts';
import { writer } from './writer.ts';

export function encodeDisconnect(p: DisconnectPacket | AuthPacket, v: ProtocolVersion): Uint8Array {
  const auth = p.type === 'auth';
  if (auth && v === 4) invalid('type', 'AUTH is MQTT 5.0 only');
  const code = p.reasonCode ?? 0;
  checkInt(code, 'reasonCode', 0, v === 4 ? 0 : 255);
  checkProperties(p.properties, p.type, v);
  const w = writer.begin();
  // 5.0: a 0 code without properties may be sent as an empty body [MQTT-3.14.2.1] [MQTT-3.15.2.1].
  const props = hasProperties(p.properties);
  if (code || props) w.u8(code);
  if (props) writeProperties(w, p.properties);
  return w.finish(auth ? 0xf0 : 0xe0);
}

export function readDisconnect(r: Reader, type: 'disconnect' | 'auth', v: ProtocolVersion): DisconnectPacket | AuthPacket {
  const packet: DisconnectPacket | AuthPacket = { type };
  if (v === 5) {
    packet.reasonCode = r.left() ? r.u8() : 0;
    const props = r.left() ? readProperties(r, type) : undefined;
    if (props) packet.properties = props;
  }
  return packet;
}
