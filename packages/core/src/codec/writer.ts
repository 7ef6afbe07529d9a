import { bytes, invalid } from './validate.ts';

const textEncoder = new TextEncoder();

/** Room left before the body for the largest fixed header (1 + 4 bytes). */
const HEADER = 5;

/**
 * Writes one packet into a reused scratch buffer, then copies out exactly the packet's bytes. Strings and binary
 * fields are checked as they are written (one pass sizes and validates them); numbers are checked by the caller
 * (`int`, `bool` in validate.ts). A throw leaves only scratch bytes behind: nothing is returned. Numbers are written
 * byte by byte: a DataView would cost an allocation per buffer and is no faster for 1-4 byte fields.
 * Encoding is synchronous, so one scratch buffer serves every encode; encoders import this module as `w`.
 */
let b = new Uint8Array(512);
/** The write position in `b`. */
let p = HEADER;

/** Starts a packet. */
export function begin(): void {
  p = HEADER;
}

/** The write position, to give `lengthFrom` later. */
export const at = (): number => p;

/** Makes room for `n` more bytes. */
function room(n: number): void {
  if (p + n > b.length) {
    const grown = new Uint8Array(2 * (p + n));
    grown.set(b);
    b = grown;
  }
}

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
  for (; x > 127; x >>>= 7) b[p++] = (x & 127) | 128;
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
 * UTF-8 bytes [MQTT-1.5.4-1] [MQTT-1.5.4-2]. An ASCII loop for short strings, TextEncoder for the rest.
 */
export function str(s: unknown, field: string): void {
  if (typeof s !== 'string') invalid(field, 'must be a string');
  const n = s.length;
  room(2 + n * 3);
  const start = p;
  let i = 0;
  p += 2;
  for (let c; i < n && i < 64 && (c = s.charCodeAt(i)) && c < 128; i++) b[p++] = c;
  if (i < n) {
    const rest = s.slice(i);
    if (rest.includes('\0') || !(rest as unknown as { isWellFormed(): boolean }).isWellFormed()) invalid(field, 'has U+0000 or a lone surrogate');
    p += textEncoder.encodeInto(rest, b.subarray(p)).written;
    if (p - start > 65_537) invalid(field, 'is over 65,535 bytes');
  }
  b[start] = (p - start - 2) >> 8;
  b[start + 1] = p - start - 2;
}

/** Writes a variable byte integer length in front of everything written since `start` (reserved 1 byte). */
export function lengthFrom(start: number): void {
  const end = p;
  const len = end - start - 1;
  if (len > 127) {
    // Move the bytes up to make room for a longer length.
    const size = len < 16_384 ? 2 : len < 2_097_152 ? 3 : 4;
    room(size);
    b.copyWithin(start + size, start + 1, end);
    p = start;
    varint(len);
    p = end + size - 1;
  } else b[start] = len;
}

/**
 * Finishes the packet: writes the fixed header in front of the body and returns an array of its own holding the
 * header, the body and `tail` (a PUBLISH payload, copied once, straight into the result).
 */
export function finish(firstByte: number, tail?: Uint8Array): Uint8Array {
  const bodyEnd = p;
  const tailLength = tail ? tail.length : 0;
  const remaining = bodyEnd - HEADER + tailLength;
  if (remaining > 268_435_455) invalid('packet', 'is over 256 MB');
  let start = HEADER - 2;
  for (let x = remaining; x > 127; x >>>= 7) start--;
  p = start;
  u8(firstByte);
  varint(remaining);
  const out = carve(bodyEnd - start + tailLength);
  out.set(b.subarray(start, bodyEnd));
  if (tail) out.set(tail, bodyEnd - start);
  // Give back memory after an unusually large packet.
  if (b.length > 65_536) b = new Uint8Array(512);
  return out;
}

const SLAB = 8192;
let slab = new Uint8Array(SLAB);
let slabUsed = 0;

/**
 * `size` bytes no other packet uses. From 65 bytes to half a slab they are carved from a shared 8 KB buffer, as
 * Node's own pool does: allocating an ArrayBuffer per packet was most of the cost of encoding one. A region is
 * handed out once and never reused, so packets never share bytes; a packet kept alive keeps at most one slab
 * alive. A slab transferred away (detached, length 0) is replaced.
 */
function carve(size: number): Uint8Array {
  // V8 keeps arrays of up to 64 bytes in its heap, which is cheaper than a view; over 4 KB a view would pin a slab.
  if (size <= 64 || size > SLAB / 2) return new Uint8Array(size);
  if (slabUsed + size > slab.length) {
    slab = new Uint8Array(SLAB);
    slabUsed = 0;
  }
  return slab.subarray(slabUsed, (slabUsed += size));
}
