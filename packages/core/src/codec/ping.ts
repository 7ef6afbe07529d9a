/** PINGREQ and PINGRESP (types 12 and 13): a fixed header and nothing else. */
import type { PingreqPacket, PingrespPacket } from './packets.ts';

export function encodePing(p: PingreqPacket | PingrespPacket): Uint8Array {
  return new Uint8Array([p.type === 'pingreq' ? 0xc0 : 0xd0, 0]);
}

export function readPing(_r: unknown, first: number): PingreqPacket | PingrespPacket {
  return { type: first > 0xcf ? 'pingresp' : 'pingreq' };
}
