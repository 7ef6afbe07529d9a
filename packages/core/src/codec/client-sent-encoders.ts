/** Encoders for the packets a client sends: all a client needs to encode, without the server-side encoders. */
import { encodeAck } from './ack.ts';
import { encodeConnect } from './connect.ts';
import type { PacketOf, PacketType, ProtocolVersion } from './packets.ts';
import { encodePing } from './ping.ts';
import { encodePublish } from './publish.ts';
import { encodeSubscribe } from './subscribe.ts';
import { encodeUnsubscribe } from './unsubscribe.ts';

/** Encoders by packet type; `encodeWith` refuses a packet of any other type. */
export type Encoders = { [T in PacketType]?: (packet: PacketOf<T>, version: ProtocolVersion) => Uint8Array };

/** What a client may send; CONNACK, SUBACK, UNSUBACK and PINGRESP are the server's. */
export const CLIENT_SENT_ENCODERS: Encoders = {
  connect: encodeConnect,
  publish: encodePublish,
  puback: encodeAck,
  pubrec: encodeAck,
  pubrel: encodeAck,
  pubcomp: encodeAck,
  subscribe: encodeSubscribe,
  unsubscribe: encodeUnsubscribe,
  pingreq: encodePing,
  disconnect: encodeAck,
  auth: encodeAck,
};
