import { encode, type ProtocolVersion, type PublishPacket } from '@mqttkit/core';
import type { BrokerMessage } from './message.ts';

/**
 * Encoded PUBLISH bytes per message, version, QoS and flags: a fan-out encodes a message once per variant instead
 * of once per subscriber; QoS 1/2 copies get their packet id patched in. The first variant lives in two plain
 * fields of the message (no per-message map or WeakMap: those cost more than the encoding they save).
 */
interface Encodings {
  wireKey?: number;
  wireBytes?: Uint8Array;
  wireMore?: Map<number, Uint8Array>;
}

export function publishBytes(message: BrokerMessage, version: ProtocolVersion, qos: 0 | 1 | 2, retain: boolean, dup: boolean, packetId: number | undefined): Uint8Array {
  const cache = message as BrokerMessage & Encodings;
  const key = (version << 4) | (qos << 2) | (retain ? 2 : 0) | (dup ? 1 : 0);
  const template = cache.wireKey === key ? cache.wireBytes : cache.wireMore?.get(key);
  if (!template) {
    // First recipient: encode with its real packet id and keep those bytes as the template (never mutated).
    const packet: PublishPacket = { type: 'publish', topic: message.topic, payload: message.payload, qos, retain, dup };
    if (qos > 0) packet.packetId = packetId!;
    if (version === 5 && message.properties) packet.properties = message.properties;
    const bytes = encode(packet, version);
    if (cache.wireKey === undefined) {
      cache.wireKey = key;
      cache.wireBytes = bytes;
    } else (cache.wireMore ??= new Map()).set(key, bytes);
    return bytes;
  }
  if (qos === 0) return template;
  const bytes = template.slice();
  let offset = 1;
  while (bytes[offset]! & 0x80) offset++;
  offset++;
  offset += 2 + ((bytes[offset]! << 8) | bytes[offset + 1]!);
  bytes[offset] = packetId! >> 8;
  bytes[offset + 1] = packetId! & 0xff;
  return bytes;
}
