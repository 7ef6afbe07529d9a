/**
 * Streaming decoding: `StreamDecoder`, which `PacketDecoder` fills with every reader.
 * Modelled on ws's receiver: limits are checked before a body is buffered, and a packet that lies inside one
 * chunk is decoded in place (payloads over 64 bytes are views, see `bytes` in reader.ts); a packet spanning chunks is
 * held as views of them and copied once, when its last byte arrives.
 */
import { fixedFlags } from './layouts.ts';
import { PACKET_TYPES, type Packet, type PacketType, type ProtocolVersion } from './packets.ts';
import * as r from './reader.ts';
import { malformed, protocolError } from './reader.ts';

/** The largest packet MQTT can describe: 5 header bytes + 268,435,455. */
const MAX_PACKET = 268_435_460;

/**
 * Decodes one packet body from the reader's range (reader.ts); `first` is the fixed header's first byte (type and flags).
 * Each packet module exports one (`readPublish`, `readConnack`, ...).
 */
export type BodyReader = (first: number, v: ProtocolVersion) => Packet;

/** The body readers a decoder knows, by packet type; a packet of any other type is a ProtocolError. */
export type Readers = { [T in PacketType]?: BodyReader };

/** What `tryPush` decoded from a chunk: the packets before the first violation, and the violation if there was one. */
export interface DecodeResult {
  packets: Packet[];
  /** A `MalformedPacketError` or `ProtocolError`; undefined when the whole chunk decoded (or is held for more bytes). */
  error?: unknown;
}

/** Options of a `StreamDecoder`. */
export interface StreamDecoderOptions {
  /** Protocol level; when absent it is learned from the first packet, which must then be CONNECT. */
  version?: ProtocolVersion;
  /** Largest packet accepted, in bytes including the fixed header; a larger one throws `ProtocolError` 0x95. */
  maximumPacketSize?: number;
  /** The packet types to decode. */
  readers: Readers;
}

/**
 * The streaming machinery of `PacketDecoder` with only the body readers it is given, so that a bundle carries
 * only the packet types an app receives, e.g. a QoS 0 subscriber:
 * `new StreamDecoder({ version: 4, readers: { connack: readConnack, publish: readPublish, suback: readSuback, pingresp: readPing } })`.
 *
 * A streaming decoder for one connection: push chunks as they arrive (split anywhere, several packets per
 * chunk) and get the complete packets back in order. Every violation throws `MalformedPacketError` or
 * `ProtocolError` (with the 5.0 reason code); after a throw the decoder is dead and throws the same error again.
 * Decoded payloads may be views into pushed chunks: do not mutate a chunk after pushing it.
 */
export class StreamDecoder {
  /** The protocol level: given, or learned from CONNECT. */
  version: ProtocolVersion | undefined;
  /** Largest packet accepted, in bytes including the fixed header. */
  readonly maximumPacketSize: number;
  /** Bytes of an incomplete packet, as views into the chunks they came in. */
  #parts: Uint8Array[] = [];
  private held = 0;
  /** Size of the held packet once its header is complete, else 0. */
  #need = 0;
  #failure: unknown;

  /** Body readers by type number. */
  readonly #read: (BodyReader | undefined)[];

  constructor(options: StreamDecoderOptions, readers: Readers = options.readers) {
    this.version = options.version;
    this.#read = PACKET_TYPES.map((type) => readers[type as PacketType]);
    this.maximumPacketSize = Math.min(options.maximumPacketSize ?? MAX_PACKET, MAX_PACKET);
  }

  /**
   * Decodes every complete packet the bytes so far hold; keeps the rest for the next push. Throws at the first
   * violation, and the packets of this chunk that came before it are lost: a connection that must act on those
   * first (a broker answering a CONNECT, honouring a DISCONNECT) uses `tryPush`.
   */
  push(chunk: Uint8Array): Packet[] {
    const { packets, error } = this.tryPush(chunk);
    if (error) throw error;
    return packets;
  }

  /**
   * As `push`, but never throws: returns the packets of this chunk decoded before the first violation together
   * with the violation (`MalformedPacketError` or `ProtocolError`), so the caller handles them in order, then the
   * error. After an error the decoder is dead: later calls return no packets and the same error.
   */
  tryPush(chunk: Uint8Array): DecodeResult {
    const packets: Packet[] = [];
    if (!this.#failure) {
      try {
        this.#decodeInto(chunk, packets);
      } catch (error) {
        this.#failure = error;
        this.#parts = [];
      }
    }
    return { packets, error: this.#failure };
  }

  #decodeInto(chunk: Uint8Array, out: Packet[]): void {
    if (this.held) {
      // Until the held packet is complete, only views of the chunks are kept; its header, when incomplete, is
      // re-read below on the joined bytes.
      this.#parts.push(chunk);
      this.held += chunk.length;
      if (this.held < this.#need) return;
      chunk = new Uint8Array(this.held);
      let at = 0;
      for (const part of this.#parts) chunk.set(part, (at += part.length) - part.length);
      this.#parts = [];
      this.held = 0;
    }
    const n = chunk.length;
    for (let i = 0; i < n; ) {
      const first = chunk[i]!;
      const type = first >> 4;
      const v = this.version;
      // Reserved types 0 and (3.1.1) 15; fixed header flags [MQTT-2.2.2-2].
      if (!type || (type > 14 && v === 4) || (type !== 3 && (first & 15) !== fixedFlags(type))) malformed('first byte');
      // The remaining length: at most 4 bytes, minimally encoded [MQTT-1.5.5-1]; h is the header's size, or 0
      // while it is incomplete. A packet over the maximum is refused before any of its body is buffered.
      let h = 1;
      let length = 0;
      for (let byte = 128, mul = 1; byte > 127; mul *= 128) {
        if (i + h >= n) {
          h = 0;
          break;
        }
        byte = chunk[i + h++]!;
        if (h > 5 || (h > 2 && !byte)) malformed('remaining length');
        length += (byte & 127) * mul;
      }
      // Too large is a Protocol Error with its own reason code, 0x95 (5.0 3.1.2.11.4, 3.2.2.3.6).
      if (h && h + length > this.maximumPacketSize) protocolError(`packet too large: ${h + length} bytes, over ${this.maximumPacketSize}`, 0x95);
      const end = i + h + length;
      if (!h || end > n) {
        this.#need = h && end - i;
        this.#parts = [chunk.subarray(i)];
        this.held = n - i;
        return;
      }
      if (type !== 1 && !v) protocolError('first packet not CONNECT');
      const read = this.#read[type] ?? protocolError(`unexpected ${PACKET_TYPES[type]}`);
      r.input(chunk, i + h, end);
      const packet = read(first, v!);
      if (r.p < end) malformed('trailing bytes');
      if (packet.type === 'connect') this.version = packet.protocolVersion;
      out.push(packet);
      i = end;
    }
  }
}
