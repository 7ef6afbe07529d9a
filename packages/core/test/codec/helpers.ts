/** Test helpers for the codec: hex vectors and a decoder that keeps packets in order. */
import type { MqttError } from '../../src/errors.ts';
import { decode, encode, PacketDecoder, type Packet, type ProtocolVersion } from '../../src/codec/index.ts';

/** "30 0b 00 03" → bytes. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** bytes → "30 0b 00 03". */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Encodes, checks the bytes against `vector`, decodes them back and returns the decoded packet. */
export function vector(packet: Packet, version: ProtocolVersion, expected: string): Packet {
  const bytes = encode(packet, version);
  if (toHex(bytes) !== toHex(hex(expected))) throw new Error(`encoded ${toHex(bytes)}, expected ${toHex(hex(expected))}`);
  return decode(bytes, version);
}

/** Decodes a byte stream pushed as the given chunks. */
export function decodeChunks(chunks: Uint8Array[], version?: ProtocolVersion): Packet[] {
  const decoder = new PacketDecoder(version ? { version } : {});
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

/** Concatenates byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A cheap exact fingerprint of decoded packets (bytes as hex), for loops where deep equality is too slow. */
export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (v instanceof Uint8Array ? `bytes:${toHex(v)}` : v));
}

/** Runs `f`, which must throw, and returns what it threw. */
export function catchError(f: () => unknown): MqttError {
  try {
    f();
  } catch (error) {
    return error as MqttError;
  }
  throw new Error('expected an error');
}
