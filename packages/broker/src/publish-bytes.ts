import { encode, type ProtocolVersion, type PublishPacket } from '@mqttkit/core';
import type { BrokerMessage } from './message.ts';

/**
 * Encoded PUBLISH bytes per message, version, QoS and flags: a fan-out encodes a message once per variant instead
 * of once per subscriber. QoS 1/2 copies get their packet id patched in.
 */
const templates = new WeakMap<BrokerMessage, Map<number, Uint8Array>>();

export function publishBytes(message: BrokerMessage, version: ProtocolVersion, qos: 0 | 1 | 2, retain: boolean, dup: boolean, packetId: number | undefined): Uint8Array {
  const key = (version << 4) | (qos << 2) | (retain ? 2 : 0) | (dup ? 1 : 0);
  let variants = templates.get(message);
  if (!variants) templates.set(message, (variants = new Map()));
  let template = variants.get(key);
  if (!template) {
    const packet: PublishPacket = { type: 'publish', topic: message.topic, payload: message.payload, qos, retain, dup };
    if (qos > 0) packet.packetId = 1;
    if (version === 5 && message.properties) packet.properties = message.properties;
    template = encode(packet, version);
    variants.set(key, template);
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
