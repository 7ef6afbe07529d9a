/** Encoders for the packets a client sends: all a client needs to encode, without the server-side encoders. */
import { encodeConnect } from './connect.ts';
import { encodeLayout } from './layouts.ts';
import type { PacketOf, PacketType, ProtocolVersion } from './packets.ts';
import { encodePublish } from './publish.ts';

/** Encoders by packet type; `encodeWith` refuses a packet of any other type. */
export type Encoders = { [T in PacketType]?: (packet: PacketOf<T>, version: ProtocolVersion) => Uint8Array };

/** What a client may send; CONNACK, SUBACK, UNSUBACK and PINGRESP are the server's. */
export const CLIENT_SENT_ENCODERS: Encoders = {
  connect: encodeConnect,
  publish: encodePublish,
  puback: encodeLayout,
  pubrec: encodeLayout,
  pubrel: encodeLayout,
  pubcomp: encodeLayout,
  subscribe: encodeLayout,
  unsubscribe: encodeLayout,
  pingreq: encodeLayout,
  disconnect: encodeLayout,
  auth: encodeLayout,
};
