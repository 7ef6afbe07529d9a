/**
 * Byte-level mutations of valid packets: what a broken or hostile peer sends. Each returns a new array and a
 * name, so the fuzzer can count which mutations reach which errors.
 */
import { concat } from '../../packages/core/test/codec/helpers.ts';
import type { Random } from '../support/random.ts';

export type Mutation = (r: Random, bytes: Uint8Array) => Uint8Array;

/** Bytes that sit on boundaries of lengths, flags and UTF-8. */
const INTERESTING = [0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0xbf, 0xc0, 0xc3, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf8, 0xfe, 0xff];

/** Variable byte integers for a remaining length: the largest, too large, not minimal, one too many bytes. */
const LENGTHS: Uint8Array[] = [
  new Uint8Array([0xff, 0xff, 0xff, 0x7f]),
  new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7f]),
  new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x01]),
  new Uint8Array([0x80, 0x00]),
  new Uint8Array([0xff, 0xff, 0x7f]),
  new Uint8Array([0x80, 0x80, 0x80, 0x01]),
  new Uint8Array([0xff, 0x7f]),
  new Uint8Array([0x00]),
  new Uint8Array([0x7f]),
];


/** Where the fixed header's remaining length ends (1 + varint bytes), bounded by the array. */
function headerEnd(bytes: Uint8Array): number {
  let i = 1;
  while (i < bytes.length && i < 5 && bytes[i]! & 0x80) i++;
  return Math.min(i + 1, bytes.length);
}

export const MUTATIONS: Record<string, Mutation> = {
  flipBits(r, b) {
    const out = b.slice();
    for (let n = r.range(1, 4); n > 0 && out.length; n--) out[r.int(out.length)]! ^= 1 << r.int(8);
    return out;
  },
  setByte(r, b) {
    const out = b.slice();
    for (let n = r.range(1, 3); n > 0 && out.length; n--) out[r.int(out.length)] = r.chance(0.7) ? r.pick(INTERESTING) : r.int(256);
    return out;
  },
  insertBytes(r, b) {
    const at = r.int(b.length + 1);
    return concat([b.subarray(0, at), r.bytes(r.range(1, 8)), b.subarray(at)]);
  },
  deleteBytes(r, b) {
    const at = r.int(b.length + 1);
    return concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + r.range(1, 8)))]);
  },
  truncate(r, b) {
    return b.slice(0, r.int(b.length + 1));
  },
  duplicateRange(r, b) {
    const at = r.int(b.length + 1);
    const end = Math.min(b.length, at + r.range(1, 16));
    return concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
  },
  /** A remaining length from LENGTHS or off by a little from the true one. */
  lieAboutLength(r, b) {
    if (!b.length) return b;
    const end = headerEnd(b);
    const body = b.subarray(end);
    let length = r.pick(LENGTHS);
    if (r.chance(0.4)) {
      let value = Math.max(0, body.length + r.range(-3, 3));
      const bytes: number[] = [];
      do {
        bytes.push((value & 127) | (value > 127 ? 128 : 0));
        value = Math.floor(value / 128);
      } while (value > 0);
      length = new Uint8Array(bytes);
    }
    return concat([b.subarray(0, 1), length, body]);
  },
  /** Another packet type or other fixed-header flags on the same body. */
  changeFirstByte(r, b) {
    const out = b.slice();
    if (out.length) out[0] = r.chance(0.5) ? (r.int(16) << 4) | (out[0]! & 15) : (out[0]! & 0xf0) | r.int(16);
    return out;
  },
  /** A two-byte length field (string, binary, packet id) set to an edge value. */
  setU16(r, b) {
    if (b.length < 2) return b;
    const out = b.slice();
    const at = r.int(out.length - 1);
    const value = r.pick([0, 1, 0x7f, 0xff, 0x100, 0x7fff, 0xffff]);
    out[at] = value >> 8;
    out[at + 1] = value & 255;
    return out;
  },
  /** A variable byte integer (property length, identifier, subscription id) that is too long or not minimal. */
  insertVarint(r, b) {
    const at = r.int(b.length + 1);
    return concat([b.subarray(0, at), r.pick(LENGTHS), b.subarray(at)]);
  },
  randomBytes(r) {
    return r.bytes(r.int(r.chance(0.1) ? 2000 : 64));
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);
