/**
 * Decoding: a fixed header parser, a body dispatcher, the streaming `PacketDecoder` and one-shot `decode`.
 * Modelled on ws's receiver: limits are checked before a body is buffered, and a packet that lies inside one
 * chunk is decoded in place (payloads are views); only a packet spanning chunks is copied, once.
 */
import { MalformedPacketError } from '../errors.ts';
import { readAck } from './ack.ts';
import { readConnack } from './connack.ts';
import { readConnect } from './connect.ts';
import { readDisconnect } from './disconnect.ts';
import type { Packet, ProtocolVersion } from './packets.ts';
import { readPublish } from './publish.ts';
import { malformed, protocolError, Reader } from './reader.ts';
import { readSuback } from './suback.ts';
import { readSubscribe } from './subscribe.ts';
import { readUnsubscribe } from './unsubscribe.ts';

/** The largest packet MQTT can describe: 5 header bytes + 268,435,455. */
const MAX_PACKET = 268_435_460;

/** Required low nibble per packet type; PUBLISH (3) carries its own flags [MQTT-2.2.2-1]. */
const FLAGS = [-1, 0, 0, -1, 0, 0, 2, 0, 2, 0, 2, 0, 0, 0, 0, 0];
const ACKS = ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const;

/** Remaining length of the header `readHeader` parsed last. */
let remaining = 0;

/**
 * Parses a fixed header at `bytes[i..n)`: returns its size (2-5) and sets `remaining`, or 0 when more bytes are
 * needed. Rejects a bad first byte or a packet over `max` before any body byte is buffered.
 */
function readHeader(bytes: Uint8Array, i: number, n: number, max: number, v: ProtocolVersion | undefined): number {
  if (i >= n) return 0;
  const first = bytes[i]!;
  const type = first >> 4;
  if (type === 0 || (type === 15 && v === 4)) malformed(`reserved packet type ${type}`);
  if (FLAGS[type] !== -1 && (first & 15) !== FLAGS[type]) malformed(`reserved flags 0x${(first & 15).toString(16)} on packet type ${type} [MQTT-2.2.2-2]`);
  let length = 0;
  for (let j = 1, mul = 1; ; j++, mul *= 128) {
    if (j === 5) malformed('remaining length longer than 4 bytes');
    if (i + j >= n) return 0;
    const byte = bytes[i + j]!;
    if (byte === 0 && j > 1) malformed('remaining length is not minimally encoded [MQTT-1.5.5-1]');
    length += (byte & 127) * mul;
    if (byte < 128) {
      if (j + 1 + length > max) {
        throw new MalformedPacketError(`Packet too large: ${j + 1 + length} bytes, the maximum is ${max}`, 0x95);
      }
      remaining = length;
      return j + 1;
    }
  }
}

/** Decodes the body in `r`'s range for the packet whose first byte is `first`. */
function readBody(r: Reader, first: number, v: ProtocolVersion | undefined): Packet {
  const type = first >> 4;
  let packet: Packet;
  if (type === 1) {
    packet = readConnect(r);
  } else {
    if (v === undefined) protocolError('the first packet must be CONNECT [MQTT-3.1.0-1]');
    switch (type) {
      case 2:
        packet = readConnack(r, v);
        break;
      case 3:
        packet = readPublish(r, first & 15, v);
        break;
      case 4:
      case 5:
      case 6:
      case 7:
        packet = readAck(r, ACKS[type - 4]!, v);
        break;
      case 8:
        packet = readSubscribe(r, v);
        break;
      case 9:
        packet = readSuback(r, 'suback', v);
        break;
      case 10:
        packet = readUnsubscribe(r, v);
        break;
      case 11:
        packet = readSuback(r, 'unsuback', v);
        break;
      case 12:
        packet = { type: 'pingreq' };
        break;
      case 13:
        packet = { type: 'pingresp' };
        break;
      case 14:
        packet = readDisconnect(r, 'disconnect', v);
        break;
      default:
        packet = readDisconnect(r, 'auth', v);
    }
  }
  r.end();
  return packet;
}

/** Options of a `PacketDecoder`. */
export interface DecoderOptions {
  /** Protocol level; when absent it is learned from the first packet, which must then be CONNECT. */
  version?: ProtocolVersion;
  /** Largest packet accepted, in bytes including the fixed header; larger ones throw with reason 0x95. */
  maximumPacketSize?: number;
}

/**
 * A streaming decoder for one connection: push chunks as they arrive (split anywhere, several packets per
 * chunk) and get the complete packets back in order. Every violation throws `MalformedPacketError` or
 * `ProtocolError` (with the 5.0 reason code); after a throw the decoder is dead and throws the same error again.
 * Decoded payloads may be views into pushed chunks: do not mutate a chunk after pushing it.
 */
export class PacketDecoder {
  /** The protocol level: given, or learned from CONNECT. */
  version: ProtocolVersion | undefined;
  /** Largest packet accepted, in bytes including the fixed header. */
  readonly maximumPacketSize: number;
  private readonly reader = new Reader();
  /** Bytes of an incomplete packet, as views into the chunks they came in. */
  private parts: Uint8Array[] = [];
  private held = 0;
  /** Size of the held packet once its header is complete, else 0. */
  private total = 0;
  private failure: unknown;

  constructor(options: DecoderOptions = {}) {
    this.version = options.version;
    this.maximumPacketSize = Math.min(options.maximumPacketSize ?? MAX_PACKET, MAX_PACKET);
  }

  /** Decodes every complete packet the bytes so far hold; keeps the rest for the next push. */
  push(chunk: Uint8Array): Packet[] {
    if (this.failure) throw this.failure;
    const out: Packet[] = [];
    try {
      const n = chunk.length;
      let i = this.held ? this.resume(chunk, out) : 0;
      while (i < n) {
        const h = readHeader(chunk, i, n, this.maximumPacketSize, this.version);
        const end = i + h + remaining;
        if (!h || end > n) {
          this.total = h && h + remaining;
          this.hold(chunk.subarray(i));
          break;
        }
        out.push(this.packet(chunk, i, i + h, end));
        i = end;
      }
    } catch (error) {
      this.failure = error;
      this.parts = [];
      throw error;
    }
    return out;
  }

  private hold(part: Uint8Array): void {
    this.parts.push(part);
    this.held += part.length;
  }

  /** Completes the held packet with the start of `chunk`; returns how many bytes of `chunk` it used. */
  private resume(chunk: Uint8Array, out: Packet[]): number {
    if (!this.total) {
      // Header incomplete: fewer than 5 bytes are held; 5 more settle it.
      const head = join(this.parts.concat(chunk.subarray(0, 5)), this.held + Math.min(5, chunk.length));
      const h = readHeader(head, 0, head.length, this.maximumPacketSize, this.version);
      if (!h) {
        this.hold(chunk);
        return chunk.length;
      }
      this.total = h + remaining;
    }
    const used = Math.min(this.total - this.held, chunk.length);
    this.hold(chunk.subarray(0, used));
    if (this.held === this.total) {
      const bytes = join(this.parts, this.total);
      this.parts = [];
      this.held = this.total = 0;
      out.push(this.packet(bytes, 0, readHeader(bytes, 0, bytes.length, MAX_PACKET, this.version), bytes.length));
    }
    return used;
  }

  private packet(bytes: Uint8Array, start: number, bodyStart: number, end: number): Packet {
    const packet = readBody(this.reader.reset(bytes, bodyStart, end), bytes[start]!, this.version);
    if (packet.type === 'connect') this.version = packet.protocolVersion;
    return packet;
  }
}

function join(parts: Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/**
 * Decodes exactly one packet from `bytes` at the given protocol level (CONNECT brings its own).
 * Throws `MalformedPacketError` when the bytes hold less or more than one packet.
 */
export function decode(bytes: Uint8Array, version: ProtocolVersion): Packet {
  const h = readHeader(bytes, 0, bytes.length, MAX_PACKET, version);
  if (!h || h + remaining !== bytes.length) malformed(h ? 'length does not match the remaining length' : 'incomplete fixed header');
  return readBody(new Reader().reset(bytes, h, bytes.length), bytes[0]!, version);
}
