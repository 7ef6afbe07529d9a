/** `encode`: any packet, by its type. */
import { encodeConnect } from './connect.ts';
import { encodeLayout } from './layouts.ts';
import { PACKET_TYPES, type Packet, type ProtocolVersion } from './packets.ts';
import { encodePublish } from './publish.ts';
import { int, invalid } from './validate.ts';

/**
 * Encodes one packet at protocol level 4 (MQTT 3.1.1) or 5 (MQTT 5.0) into a Uint8Array of its own.
 * A value MQTT cannot carry throws `InvalidArgumentError` naming the field, e.g. `topic`, `packetId` or
 * `subscriptions[2].filter`, and nothing is returned.
 * Like Node's pooled `allocUnsafe`, a packet up to 4 KB is a view into a shared 8 KB ArrayBuffer (no other packet
 * uses its bytes): send or copy the view itself (`socket.send(bytes)`, `bytes.slice()`), not `bytes.buffer`.
 */
export function encode(packet: Packet, version: ProtocolVersion): Uint8Array {
  int(version, 'version', 4, 5);
  const type = packet?.type;
  // PUBLISH first, called directly: the hot path, which V8 can then inline.
  if (type === 'publish') return encodePublish(packet, version);
  if (type === 'connect') return encodeConnect(packet, version);
  // Every other type is encodeLayout's; '' (reserved type 0) and unknown names are refused.
  return PACKET_TYPES.indexOf(type) > 1 ? encodeLayout(packet, version) : invalid('type', 'cannot be encoded here');
}
