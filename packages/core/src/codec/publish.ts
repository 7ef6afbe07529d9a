/** PUBLISH (type 3): an application message. The payload is whatever follows the variable header. */
import type { ProtocolVersion, PublishPacket, QoS } from './packets.ts';
import { readProperties, writeProperties } from './properties.ts';
import * as r from './reader.ts';
import { malformed, protocolError } from './reader.ts';
import { bool, bytes, int, invalid } from './validate.ts';
import * as w from './writer.ts';

/**
 * True when `topic` can be a topic name: not empty [MQTT-4.7.3-1], no wildcards [MQTT-4.7.1-1]; 5.0 allows the
 * empty name when a topic alias stands for it [MQTT-3.3.2-8]. The string rules are the reader's and writer's.
 */
export const isTopicName = (topic: string, alias?: number): boolean => (topic !== '' || alias !== undefined) && !/[+#]/.test(topic);

/** Writes a topic name of a PUBLISH or a will. */
export function writeTopic(topic: string, field: string, alias?: number): void {
  if (!isTopicName(topic, alias)) invalid(field, 'must be a topic name');
  w.str(topic, field);
}

export function encodePublish(p: PublishPacket, v: ProtocolVersion): Uint8Array {
  const qos = int(p.qos, 'qos', 0, 2);
  w.begin();
  writeTopic(p.topic, 'topic', p.properties?.topicAlias);
  if (bool(p.dup, 'dup') && !qos) invalid('dup', 'must be false at QoS 0');
  if (qos) w.u16(int(p.packetId));
  writeProperties(p.properties, 3, v);
  return w.finish(0x30 | (+p.dup << 3) | (qos << 1) | +bool(p.retain, 'retain'), bytes(p.payload, 'payload', 268_435_455));
}

export function readPublish(first: number, v: ProtocolVersion): PublishPacket {
  const flags = first & 15;
  const qos = (flags >> 1) & 3;
  // [MQTT-3.3.1-4] QoS 3; [MQTT-3.3.1-2] DUP at QoS 0.
  if (qos === 3 || (flags & 14) === 8) malformed('PUBLISH flags');
  // `payload` is a placeholder until the properties are read; setting it now keeps one object shape.
  const packet: PublishPacket = { type: 'publish', topic: r.str(), payload: r.b, qos: qos as QoS, retain: (flags & 1) === 1, dup: flags > 7 };
  if (qos) packet.packetId = r.id();
  // A wildcard is malformed; an empty name without a topic alias is a Protocol Error (5.0 3.3.2.3.4).
  if (!isTopicName(packet.topic, readProperties(packet, 3, v)?.topicAlias)) (packet.topic ? malformed : protocolError)('topic name');
  packet.payload = r.bytes(r.left());
  return packet;
}
