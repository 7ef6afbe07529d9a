/**
 * Writes one packet into a reused scratch buffer, then copies out exactly the packet's bytes: `begin()`, the
 * fields, `finish()`. Encoding is synchronous, so one module-level buffer serves every encode and is never shared
 * mid-packet. Strings and binary fields are checked as they are written (one pass sizes and validates them);
 * numbers are checked by the caller (`int`, `bool` in validate.ts). A throw leaves only scratch bytes behind:
 * nothing is returned. Numbers are written byte by byte: a DataView costs an allocation per buffer and is no
 * faster for 1-4 byte fields. Import it as a namespace: `import * as w from './writer.ts'`, then `w.u16(x)`.
 */
import { bytes, invalid } from './validate.ts';

const textEncoder = new TextEncoder();

/** Room left before the body for the largest fixed header (1 + 4 bytes). */
const HEADER = 5;

/** The scratch buffer and the write position in it. */
let b = new Uint8Array(512);
let p = HEADER;

/** Bytes a remaining length or property length takes as a variable byte integer. */
function varintSize(n: number): number {
  return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
}

function room(n: number): void {
  if (p + n > b.length) {
    const grown = new Uint8Array(Math.max(b.length * 2, p + n));
    grown.set(b.subarray(0, p));
    b = grown;
  }
}

/** Starts a packet. */
export function begin(): void {
  p = HEADER;
}

/** The write position, e.g. to give `lengthFrom` later. */
export const at = (): number => p;

export function u8(x: number): void {
  room(1);
  b[p++] = x;
}

export function u16(x: number): void {
  room(2);
  b[p++] = x >> 8;
  b[p++] = x;
}

export function varint(x: number): void {
  room(4);
  while (x > 127) {
    b[p++] = (x & 127) | 128;
    x >>>= 7;
  }
  b[p++] = x;
}

/** Binary data: two-byte length, then the bytes of `x`, which must be a Uint8Array of at most 65,535 bytes. */
export function bin(x: unknown, field: string): void {
  const data = bytes(x, field);
  u16(data.length);
  room(data.length);
  b.set(data, p);
  p += data.length;
}

/**
 * UTF-8 string: two-byte length, then bytes. `s` must be a well-formed string without U+0000 of at most 65,535
 * UTF-8 bytes [MQTT-1.5.4-1] [MQTT-1.5.4-2]. An ASCII loop for short strings, `utf8` for the rest; kept small
 * so that V8 inlines it.
 */
export function str(s: unknown, field: string): void {
  if (typeof s !== 'string') invalid(field, 'must be a string');
  const n = s.length;
  room(2 + n * 3);
  const start = p;
  let i = 0;
  p += 2;
  if (n < 64) {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127 || !c) break;
      b[p++] = c;
    }
  }
  if (i < n) utf8(i ? s.slice(i) : s, field);
  const len = p - start - 2;
  if (len > 65_535) invalid(field, 'over 65,535 bytes');
  b[start] = len >> 8;
  b[start + 1] = len;
}

/** Writes what the ASCII loop did not, checking it has no U+0000 and no lone surrogate. */
function utf8(rest: string, field: string): void {
  if (rest.includes('\0') || !(rest as unknown as { isWellFormed(): boolean }).isWellFormed()) invalid(field, 'has U+0000 or a lone surrogate');
  p += textEncoder.encodeInto(rest, b.subarray(p)).written;
}

/** Writes a variable byte integer length in front of everything written since `start` (reserved 1 byte). */
export function lengthFrom(start: number): void {
  const len = p - start - 1;
  const size = varintSize(len);
  if (size > 1) {
    room(size - 1);
    b.copyWithin(start + size, start + 1, p);
  }
  const end = p + size - 1;
  p = start;
  varint(len);
  p = end;
}

/**
 * Finishes the packet: writes the fixed header in front of the body and returns a fresh array holding the
 * header, the body and `tail` (a PUBLISH payload, copied once, straight into the result).
 */
export function finish(firstByte: number, tail?: Uint8Array): Uint8Array {
  const bodyEnd = p;
  const tailLength = tail ? tail.length : 0;
  const remaining = bodyEnd - HEADER + tailLength;
  if (remaining > 268_435_455) invalid('packet', 'over 256 MB');
  const start = HEADER - 1 - varintSize(remaining);
  p = start;
  u8(firstByte);
  varint(remaining);
  const out = new Uint8Array(bodyEnd - start + tailLength);
  out.set(b.subarray(start, bodyEnd));
  if (tail) out.set(tail, bodyEnd - start);
  // Give back memory after an unusually large packet.
  if (b.length > 65_536) b = new Uint8Array(512);
  return out;
}
