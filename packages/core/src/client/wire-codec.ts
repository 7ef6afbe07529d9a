/**
 * The client's half of the encoder: encoders for the packets a client sends (its readers are the codec's
 * `SERVER_SENT_READERS`). `encode` knows every type, so a client bundle built on it also carried the server-side
 * CONNACK/SUBACK encoders.
 */
import type { Packet, PacketOf, PacketType, ProtocolVersion } from '../codec/packets.ts';
import { encodeAck } from '../codec/ack.ts';
import { encodeConnect } from '../codec/connect.ts';
import { encodeDisconnect } from '../codec/disconnect.ts';
import { encodePing } from '../codec/ping.ts';
import { encodePublish } from '../codec/publish.ts';
import { encodeSubscribe } from '../codec/subscribe.ts';
import { encodeUnsubscribe } from '../codec/unsubscribe.ts';
import { InvalidArgumentError } from '../errors.ts';

type Encoder<T extends PacketType> = (packet: PacketOf<T>, version: ProtocolVersion) => Uint8Array;

/** Encoders for what a client sends, by type. */
const CLIENT_PACKETS: { [T in PacketType]?: Encoder<T> } = {
  connect: encodeConnect,
  publish: encodePublish,
  puback: encodeAck,
  pubrec: encodeAck,
  pubrel: encodeAck,
  pubcomp: encodeAck,
  subscribe: encodeSubscribe,
  unsubscribe: encodeUnsubscribe,
  pingreq: encodePing,
  disconnect: encodeDisconnect,
  auth: encodeDisconnect,
};

/** Encodes a packet a client sends (validated by the packet's encoder); throws for a server-only type. */
export function encodeClientPacket(packet: Packet, version: ProtocolVersion): Uint8Array {
  const encoder = CLIENT_PACKETS[packet.type] as Encoder<PacketType> | undefined;
  if (encoder === undefined) throw new InvalidArgumentError('type', `a client does not send ${packet.type}`);
  return encoder(packet as never, version);
}
