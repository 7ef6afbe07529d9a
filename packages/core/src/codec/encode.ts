/** `encode`: validate a packet once, then write it. */
import { encodeAck } from './ack.ts';
import { encodeConnack } from './connack.ts';
import { encodeConnect } from './connect.ts';
import { encodeDisconnect } from './disconnect.ts';
import type { Packet, ProtocolVersion } from './packets.ts';
import { encodePing } from './ping.ts';
import { encodePublish } from './publish.ts';
import { encodeSuback } from './suback.ts';
import { encodeSubscribe } from './subscribe.ts';
import { encodeUnsubscribe } from './unsubscribe.ts';
import { invalid } from './validate.ts';

/**
 * Encodes one packet at protocol level 4 (MQTT 3.1.1) or 5 (MQTT 5.0) into a new Uint8Array.
 * The packet is checked first; a value MQTT cannot carry throws `InvalidArgumentError` naming the field,
 * e.g. `topic`, `packetId` or `subscriptions[2].filter`, and nothing is written.
 */
export function encode(packet: Packet, version: ProtocolVersion): Uint8Array {
  if (version !== 4 && version !== 5) invalid('version', `must be 4 (MQTT 3.1.1) or 5 (MQTT 5.0), got ${String(version)}`);
  if (typeof packet !== 'object' || packet === null) invalid('packet', 'must be a packet object');
  switch (packet.type) {
    case 'publish':
      return encodePublish(packet, version);
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return encodeAck(packet, version);
    case 'subscribe':
      return encodeSubscribe(packet, version);
    case 'suback':
    case 'unsuback':
      return encodeSuback(packet, version);
    case 'unsubscribe':
      return encodeUnsubscribe(packet, version);
    case 'connect':
      return encodeConnect(packet, version);
    case 'connack':
      return encodeConnack(packet, version);
    case 'pingreq':
    case 'pingresp':
      return encodePing(packet);
    case 'disconnect':
    case 'auth':
      return encodeDisconnect(packet, version);
    default:
      return invalid('type', `unknown packet type ${String((packet as { type?: unknown }).type)}`);
  }
}
