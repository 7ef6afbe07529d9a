/**
 * The client's half of the codec: encoders for the packets a client sends, readers for the packets a server sends.
 * `encode` and `PacketDecoder` know every type, so a client bundle built on them also carried the server-side
 * CONNECT/SUBSCRIBE/UNSUBSCRIBE readers and CONNACK/SUBACK encoders.
 */
import type { Packet, PacketOf, PacketType, ProtocolVersion } from '../codec/packets.ts';
import { encodeAck, readAck } from '../codec/ack.ts';
import { readConnack } from '../codec/connack.ts';
import { encodeConnect } from '../codec/connect.ts';
import { encodeDisconnect, readDisconnect } from '../codec/disconnect.ts';
import { encodePing, readPing } from '../codec/ping.ts';
import { encodePublish, readPublish } from '../codec/publish.ts';
import type { Readers } from '../codec/stream-decoder.ts';
import { readSuback } from '../codec/suback.ts';
import { encodeSubscribe } from '../codec/subscribe.ts';
import { encodeUnsubscribe } from '../codec/unsubscribe.ts';
import { InvalidArgumentError } from '../errors.ts';

/** Readers for what a server may send a client; anything else (CONNECT, SUBSCRIBE, ...) is a ProtocolError. */
export const SERVER_PACKETS: Readers = {
  connack: readConnack,
  publish: readPublish,
  puback: readAck,
  pubrec: readAck,
  pubrel: readAck,
  pubcomp: readAck,
  suback: readSuback,
  unsuback: readSuback,
  pingresp: readPing,
  disconnect: readDisconnect,
  auth: readDisconnect,
};

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
