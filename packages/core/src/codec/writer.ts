import { bytes, invalid } from './validate.ts';

const textEncoder = new TextEncoder();

/** Bytes a remaining length or property length takes as a variable byte integer. */
export function varintSize(n: number): number {
  return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
}

/** Room left before the body for the largest fixed header (1 + 4 bytes). */
const HEADER = 5;

/**
 * Writes one packet into a reused scratch buffer, then copies out exactly the packet's bytes. Strings and binary
 * fields are checked as they are written (one pass sizes and validates them); numbers are checked by the caller
 * (`int`, `bool` in validate.ts). A throw leaves only scratch bytes behind: nothing is returned. Numbers are written
 * byte by byte: a DataView would cost an allocation per buffer and is no faster for 1-4 byte fields.
 */
export class Writer {
  b = new Uint8Array(512);
  p = HEADER;

  /** Starts a packet. */
  begin(): this {
    this.p = HEADER;
    return this;
  }

  private room(n: number): void {
    if (this.p + n > this.b.length) {
      const grown = new Uint8Array(Math.max(this.b.length * 2, this.p + n));
      grown.set(this.b.subarray(0, this.p));
      this.b = grown;
    }
  }

  u8(x: number): void {
    this.room(1);
    this.b[this.p++] = x;
  }

  u16(x: number): void {
    this.room(2);
    const b = this.b;
    b[this.p++] = x >> 8;
    b[this.p++] = x;
  }

  varint(x: number): void {
    this.room(4);
    const b = this.b;
    while (x > 127) {
      b[this.p++] = (x & 127) | 128;
      x >>>= 7;
    }
    b[this.p++] = x;
  }

  /** Binary data: two-byte length, then the bytes of `x`, which must be a Uint8Array of at most 65,535 bytes. */
  bin(x: unknown, field: string): void {
    const data = bytes(x, field);
    this.u16(data.length);
    this.room(data.length);
    this.b.set(data, this.p);
    this.p += data.length;
  }

  /**
   * UTF-8 string: two-byte length, then bytes. `s` must be a well-formed string without U+0000 of at most 65,535
   * UTF-8 bytes [MQTT-1.5.4-1] [MQTT-1.5.4-2]. An ASCII loop for short strings, `utf8` for the rest; kept small
   * so that V8 inlines it.
   */
  str(s: unknown, field: string): void {
    if (typeof s !== 'string') invalid(field, 'must be a string');
    const n = s.length;
    this.room(2 + n * 3);
    const b = this.b;
    const start = this.p;
    let p = start + 2;
    let i = 0;
    if (n < 64) {
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 127 || !c) break;
        b[p++] = c;
      }
    }
    if (i < n) p = this.utf8(s, i, p, field);
    const len = p - start - 2;
    b[start] = len >> 8;
    b[start + 1] = len;
    this.p = p;
  }

  /** Writes `s` from index `i` at `p` with encodeInto, checking what the ASCII loop did not; returns the end. */
  private utf8(s: string, i: number, p: number, field: string): number {
    const rest = i ? s.slice(i) : s;
    if (rest.includes('\0') || !(rest as unknown as { isWellFormed(): boolean }).isWellFormed()) invalid(field, 'has U+0000 or a lone surrogate');
    const end = p + textEncoder.encodeInto(rest, this.b.subarray(p)).written;
    if (end - this.p > 65_537) invalid(field, 'over 65,535 bytes');
    return end;
  }

  /** Writes a variable byte integer length in front of everything written since `start` (reserved 1 byte). */
  lengthFrom(start: number): void {
    const len = this.p - start - 1;
    const size = varintSize(len);
    if (size > 1) {
      this.room(size - 1);
      this.b.copyWithin(start + size, start + 1, this.p);
      this.p += size - 1;
    }
    const end = this.p;
    this.p = start;
    this.varint(len);
    this.p = end;
  }

  /**
   * Finishes the packet: writes the fixed header in front of the body and returns an array of its own holding the
   * header, the body and `tail` (a PUBLISH payload, copied once, straight into the result).
   */
  finish(firstByte: number, tail?: Uint8Array): Uint8Array {
    const bodyEnd = this.p;
    const tailLength = tail ? tail.length : 0;
    const remaining = bodyEnd - HEADER + tailLength;
    if (remaining > 268_435_455) invalid('packet', 'over 256 MB');
    const start = HEADER - 1 - varintSize(remaining);
    this.p = start;
    this.u8(firstByte);
    this.varint(remaining);
    const out = carve(bodyEnd - start + tailLength);
    out.set(this.b.subarray(start, bodyEnd));
    if (tail) out.set(tail, bodyEnd - start);
    // Give back memory after an unusually large packet.
    if (this.b.length > 65_536) this.b = new Uint8Array(512);
    return out;
  }
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

/** The one writer every encode uses: encoding is synchronous, so it is never shared mid-packet. */
export const writer = new Writer();
