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
 * Reads one packet body from a byte range, as module functions over one range (decoding is synchronous, so one
 * range serves every decoder; readers import this module as `r`). Every read checks the range's end, so a short
 * or lying packet becomes a MalformedPacketError, never an out-of-range read.
 */
export let b: Uint8Array = new Uint8Array(0);
/** Read position. */
export let p = 0;
/** End of the current range (exclusive). */
export let e = 0;

/** Sets the range to read: `bytes` from `start` to `end`. */
export function input(bytes: Uint8Array, start: number, end: number): void {
  b = bytes;
  p = start;
  e = end;
}

/** Moves the range's end to `end` (into a property list, and back), returning the end it had. */
export function limit(end: number): number {
  const outer = e;
  e = end;
  return outer;
}

/** Bytes left in the range. */
export const left = (): number => e - p;

/** Moves past `n` bytes and returns where they start. */
function need(n: number): number {
  const at = p;
  if (at + n > e) malformed('too short');
  p = at + n;
  return at;
}

export const u8 = (): number => b[need(1)]!;

export function u16(): number {
  const at = need(2);
  return (b[at]! << 8) | b[at + 1]!;
}

/** A packet identifier, which must not be 0 [MQTT-2.3.1-1]. */
export const id = (): number => u16() || malformed('packet identifier 0');

/** Variable byte integer: at most 4 bytes, minimally encoded [MQTT-1.5.5-1]. */
export function varint(): number {
  let value = 0;
  for (let i = 0, mul = 1; i < 4; i++, mul *= 128) {
    const byte = u8();
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
export function bytes(n: number): Uint8Array {
  const at = need(n);
  return n > 64 ? b.subarray(at, at + n) : b.slice(at, at + n);
}

/** Binary data: two-byte length, then bytes. */
export const bin = (): Uint8Array => bytes(u16());

/** UTF-8 string: two-byte length, then valid UTF-8 without U+0000 [MQTT-1.5.4-1] [MQTT-1.5.4-2]. */
export function str(): string {
  const n = u16();
  const at = need(n);
  const end = at + n;
  if (n < 48) {
    // ASCII fast path: short strings (topics, ids) are nearly always ASCII.
    let s = '';
    let i = at;
    for (let c; i < end && (c = b[i]!) && c < 128; i++) s += String.fromCharCode(c);
    if (i === end) return s;
  }
  let s = '\0';
  try {
    s = utf8.decode(b.subarray(at, end));
  } catch {}
  return s.includes('\0') ? malformed('bad UTF-8 or U+0000') : s;
}
