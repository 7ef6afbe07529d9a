import { MalformedPacketError, ProtocolError } from '../errors.ts';

/** Throws the 0x81 error every decode violation of the wire format becomes. */
export function malformed(message: string): never {
  throw new MalformedPacketError(`Malformed packet: ${message}`);
}

/** Throws the 0x82 error (or `reasonCode`) for a well-formed packet that breaks a protocol rule. */
export function protocolError(message: string, reasonCode?: number): never {
  throw new ProtocolError(`Protocol error: ${message}`, reasonCode);
}

// fatal: invalid UTF-8 (including encoded surrogates) throws; ignoreBOM: a leading U+FEFF is data [MQTT-1.5.4-3].
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads one packet body from a byte range. Every read checks the range's end, so a short or lying packet
 * becomes a MalformedPacketError, never an out-of-range read. One instance is reused per decoder.
 */
export class Reader {
  b: Uint8Array = new Uint8Array(0);
  /** Read position. */
  p = 0;
  /** End of the current range (exclusive). */
  e = 0;

  /** Bytes left in the range. */
  left(): number {
    return this.e - this.p;
  }

  /** Moves past `n` bytes and returns where they start. */
  need(n: number): number {
    const p = this.p;
    if (p + n > this.e) malformed('too short');
    this.p = p + n;
    return p;
  }

  u8(): number {
    return this.b[this.need(1)]!;
  }

  u16(): number {
    const p = this.need(2);
    return (this.b[p]! << 8) | this.b[p + 1]!;
  }

  /** A packet identifier, which must not be 0 [MQTT-2.3.1-1]. */
  id(): number {
    return this.u16() || malformed('packet identifier 0');
  }

  /** Variable byte integer: at most 4 bytes, minimally encoded [MQTT-1.5.5-1]. */
  varint(): number {
    let value = 0;
    for (let i = 0, mul = 1; i < 4; i++, mul *= 128) {
      const byte = this.u8();
      if (!byte && i) break;
      value += (byte & 127) * mul;
      if (byte < 128) return value;
    }
    return malformed('variable byte integer');
  }

  /**
   * The next `n` bytes: a view into the input, or for at most 64 bytes a copy. V8 keeps arrays that small on its
   * heap, where copying costs no more than a view, and a view of a fresh small array would first move it off-heap
   * (~0.5 µs); a copy also does not keep a large socket chunk alive for the sake of a few bytes.
   */
  bytes(n: number): Uint8Array {
    const p = this.need(n);
    return n > 64 ? this.b.subarray(p, p + n) : this.b.slice(p, p + n);
  }

  /** Binary data: two-byte length, then bytes. */
  bin(): Uint8Array {
    return this.bytes(this.u16());
  }

  /** UTF-8 string: two-byte length, then valid UTF-8 without U+0000 [MQTT-1.5.4-1] [MQTT-1.5.4-2]. */
  str(): string {
    const n = this.u16();
    const p = this.need(n);
    const b = this.b;
    const e = p + n;
    if (n < 48) {
      // ASCII fast path: short strings (topics, ids) are nearly always ASCII.
      let s = '';
      let i = p;
      for (let c; i < e && (c = b[i]!) && c < 128; i++) s += String.fromCharCode(c);
      if (i === e) return s;
    }
    let s = '\0';
    try {
      s = utf8.decode(b.subarray(p, e));
    } catch {}
    return s.includes('\0') ? malformed('bad UTF-8 or U+0000') : s;
  }
}
