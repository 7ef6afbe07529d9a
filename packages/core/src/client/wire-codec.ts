/**
 * The client's encoders, by the type of packet they encode. A client encodes only what it sends, and only what its
 * features send: the core's table has no PUBLISH encoder, the `session` feature brings it (with the QoS 2
 * acknowledgements), so a client that never publishes does not carry it.
 */
import { encodeAck, encodeConnect, encodePing, encodePublish, encodeSubscribe, encodeUnsubscribe } from '../codec/index.ts';
import type { Packet, PacketOf, PacketType, ProtocolVersion } from '../codec/packets.ts';
import { InvalidArgumentError } from '../errors.ts';

/** Encoders by packet type; `encodeClientPacket` refuses a packet of any other type. */
export type ClientEncoders = { readonly [T in PacketType]?: (packet: PacketOf<T>, version: ProtocolVersion) => Uint8Array };

/** What every client sends: CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT, AUTH, and PUBACK for inbound QoS 1. */
export const CORE_ENCODERS: ClientEncoders = {
  connect: encodeConnect,
  subscribe: encodeSubscribe,
  unsubscribe: encodeUnsubscribe,
  pingreq: encodePing,
  puback: encodeAck,
  disconnect: encodeAck,
  auth: encodeAck,
};

/** What the `session` feature adds: PUBLISH, and PUBREC, PUBREL and PUBCOMP for QoS 2 in both directions. */
export const SESSION_ENCODERS: ClientEncoders = { publish: encodePublish, pubrec: encodeAck, pubrel: encodeAck, pubcomp: encodeAck };

/** Encodes a packet the client sends (validated by the packet's encoder); throws for a type `encoders` lacks. */
export function encodeClientPacket(encoders: ClientEncoders, packet: Packet, version: ProtocolVersion): Uint8Array {
  const encoder = encoders[packet.type] as ((packet: Packet, version: ProtocolVersion) => Uint8Array) | undefined;
  if (encoder === undefined) throw new InvalidArgumentError('type', `this client does not send ${packet.type}; is a feature missing?`);
  return encoder(packet, version);
}
