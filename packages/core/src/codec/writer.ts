import { bytes, invalid } from './validate.ts';

const textEncoder = new TextEncoder();

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

  /** Makes room for `n` more bytes and returns the buffer. */
  room(n: number): Uint8Array {
    if (this.p + n > this.b.length) {
      const grown = new Uint8Array(2 * (this.p + n));
      grown.set(this.b);
      this.b = grown;
    }
    return this.b;
  }

  u8(x: number): void {
    this.room(1)[this.p++] = x;
  }

  u16(x: number): void {
    const b = this.room(2);
    b[this.p++] = x >> 8;
    b[this.p++] = x;
  }

  varint(x: number): void {
    const b = this.room(4);
    for (; x > 127; x >>>= 7) b[this.p++] = (x & 127) | 128;
    b[this.p++] = x;
  }

  /** Binary data: two-byte length, then the bytes of `x`, which must be a Uint8Array of at most 65,535 bytes. */
  bin(x: unknown, field: string): void {
    const data = bytes(x, field);
    this.u16(data.length);
    this.room(data.length).set(data, this.p);
    this.p += data.length;
  }

  /**
   * UTF-8 string: two-byte length, then bytes. `s` must be a well-formed string without U+0000 of at most 65,535
   * UTF-8 bytes [MQTT-1.5.4-1] [MQTT-1.5.4-2]. An ASCII loop for short strings, TextEncoder for the rest.
   */
  str(s: unknown, field: string): void {
    if (typeof s !== 'string') invalid(field, 'must be a string');
    const n = s.length;
    const b = this.room(2 + n * 3);
    const start = this.p;
    let p = start + 2;
    let i = 0;
    for (let c; i < n && i < 64 && (c = s.charCodeAt(i)) && c < 128; i++) b[p++] = c;
    if (i < n) {
      const rest = s.slice(i);
      if (rest.includes('\0') || !(rest as unknown as { isWellFormed(): boolean }).isWellFormed()) invalid(field, 'has U+0000 or a lone surrogate');
      p += textEncoder.encodeInto(rest, b.subarray(p)).written;
      if (p - start > 65_537) invalid(field, 'is over 65,535 bytes');
    }
    b[start] = (p - start - 2) >> 8;
    b[start + 1] = p - start - 2;
    this.p = p;
  }

  /** Writes a variable byte integer length in front of everything written since `start` (reserved 1 byte). */
  lengthFrom(start: number): void {
    const end = this.p;
    const len = end - start - 1;
    if (len > 127) {
      // Move the bytes up to make room for a longer length.
      const size = len < 16_384 ? 2 : len < 2_097_152 ? 3 : 4;
      this.room(size).copyWithin(start + size, start + 1, end);
      this.p = start;
      this.varint(len);
      this.p = end + size - 1;
    } else this.b[start] = len;
  }

  /**
   * Finishes the packet: writes the fixed header in front of the body and returns an array of its own holding the
   * header, the body and `tail` (a PUBLISH payload, copied once, straight into the result).
   */
  finish(firstByte: number, tail?: Uint8Array): Uint8Array {
    const bodyEnd = this.p;
    const tailLength = tail ? tail.length : 0;
    const remaining = bodyEnd - HEADER + tailLength;
    if (remaining > 268_435_455) invalid('packet', 'is over 256 MB');
    let start = HEADER - 2;
    for (let x = remaining; x > 127; x >>>= 7) start--;
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
