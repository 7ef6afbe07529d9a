/** `PacketDecoder` (every packet type) and one-shot `decode`. */
import { readConnect } from './connect.ts';
import { readLayout } from './layouts.ts';
import { PACKET_TYPES, type Packet, type ProtocolVersion } from './packets.ts';
import { readPublish } from './publish.ts';
import { malformed } from './reader.ts';
import { StreamDecoder, type BodyReader, type Readers, type StreamDecoderOptions } from './stream-decoder.ts';

/** A reader for every packet type, by name: CONNECT's, PUBLISH's, and layouts.ts's for the rest. */
export const ALL_READERS: Readers = /* @__PURE__ */ Object.fromEntries(
  PACKET_TYPES.map((type, n): [string, BodyReader] => [type, n === 1 ? readConnect : n === 3 ? readPublish : readLayout]).slice(1),
);

/** Options of a `PacketDecoder`. */
export interface DecoderOptions {
  /** Protocol level; when absent it is learned from the first packet, which must then be CONNECT. */
  version?: ProtocolVersion;
  /** Largest packet accepted, in bytes including the fixed header; a larger one throws `ProtocolError` 0x95. */
  maximumPacketSize?: number;
  /** The packet types to decode; every type when absent. To leave the others out of a bundle, use `StreamDecoder`. */
  readers?: Readers;
}

/**
 * A streaming decoder for one connection: push chunks as they arrive (split anywhere, several packets per
 * chunk) and get the complete packets back in order. Every violation throws `MalformedPacketError` or
 * `ProtocolError` (with the 5.0 reason code); after a throw the decoder is dead and throws the same error again.
 * Decoded payloads may be views into pushed chunks: do not mutate a chunk after pushing it.
 */
export class PacketDecoder extends StreamDecoder {
  constructor(options: DecoderOptions = {}) {
    super(options as StreamDecoderOptions, options.readers ?? ALL_READERS);
  }
}

/**
 * Decodes exactly one packet from `bytes` at the given protocol level (CONNECT brings its own).
 * Throws `MalformedPacketError` when the bytes hold less or more than one packet.
 */
export function decode(bytes: Uint8Array, version: ProtocolVersion): Packet {
  const decoder = new PacketDecoder({ version });
  const packets = decoder.push(bytes);
  if (packets.length !== 1 || decoder['held']) malformed('expected exactly one packet');
  return packets[0]!;
}
