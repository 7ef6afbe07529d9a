/** `encode`: any packet, by its type. */
import { CLIENT_SENT_ENCODERS, type Encoders } from './client-sent-encoders.ts';
import { encodeLayout } from './layouts.ts';
import type { Packet, ProtocolVersion } from './packets.ts';
import { encodePublish } from './publish.ts';
import { int, invalid } from './validate.ts';

const ENCODERS: Encoders = { ...CLIENT_SENT_ENCODERS, connack: encodeLayout, suback: encodeLayout, unsuback: encodeLayout, pingresp: encodeLayout };

/**
 * Encodes `packet` at `version` with the encoder `encoders` has for its type, or throws `InvalidArgumentError`
 * naming the field. Shared with the client's encoder, which knows only what a client sends.
 */
export function encodeWith(encoders: Encoders, packet: Packet, version: ProtocolVersion): Uint8Array {
  int(version, 'version', 4, 5);
  const type = packet?.type;
  // PUBLISH first, called directly: the hot path, which V8 can then inline.
  if (type === 'publish') return encodePublish(packet, version);
  const encoder = Object.hasOwn(encoders, type) ? encoders[type] : invalid('type', 'cannot be encoded here');
  return encoder!(packet as never, version);
}

/**
 * Encodes one packet at protocol level 4 (MQTT 3.1.1) or 5 (MQTT 5.0) into a Uint8Array of its own.
 * A value MQTT cannot carry throws `InvalidArgumentError` naming the field, e.g. `topic`, `packetId` or
 * `subscriptions[2].filter`, and nothing is returned.
 * Like Node's pooled `allocUnsafe`, a packet up to 4 KB is a view into a shared 8 KB ArrayBuffer (no other packet
 * uses its bytes): send or copy the view itself (`socket.send(bytes)`, `bytes.slice()`), not `bytes.buffer`.
 */
export function encode(packet: Packet, version: ProtocolVersion): Uint8Array {
  return encodeWith(ENCODERS, packet, version);
}
