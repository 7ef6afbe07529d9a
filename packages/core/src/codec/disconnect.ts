/** DISCONNECT (type 14) and AUTH (type 15, 5.0 only): an optional reason code and properties. */
import { checkReason, readReason, writeReason } from './ack.ts';
import type { AuthPacket, DisconnectPacket, ProtocolVersion } from './packets.ts';
import type { Reader } from './reader.ts';
import { invalid } from './validate.ts';
import { writer } from './writer.ts';

export function encodeDisconnect(p: DisconnectPacket | AuthPacket, v: ProtocolVersion): Uint8Array {
  const type = p.type === 'auth' ? 15 : 14;
  if (type === 15 && v === 4) invalid('type', 'AUTH is MQTT 5.0 only');
  checkReason(p, type, v);
  const w = writer.begin();
  writeReason(w, p);
  return w.finish(type << 4);
}

export function readDisconnect(r: Reader, first: number, v: ProtocolVersion): DisconnectPacket | AuthPacket {
  const type = first >> 4;
  return readReason(r, { type: type === 15 ? 'auth' : 'disconnect' }, type, v);
}
