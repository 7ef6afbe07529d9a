/**
 * The client's half of the encoder: encoders for the packets a client sends (its readers are the codec's
 * `SERVER_SENT_READERS`). `encode` knows every type, so a client bundle built on it also carried the server-side
 * CONNACK/SUBACK encoders.
 */
import { CLIENT_SENT_ENCODERS } from '../codec/client-sent-encoders.ts';
import { encodeWith } from '../codec/encode.ts';
import type { Packet, ProtocolVersion } from '../codec/packets.ts';

/** Encodes a packet a client sends (validated by the packet's encoder); throws for a server-only type. */
export function encodeClientPacket(packet: Packet, version: ProtocolVersion): Uint8Array {
  return encodeWith(CLIENT_SENT_ENCODERS, packet, version);
}
