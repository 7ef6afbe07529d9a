/** PUBLISH (type 3): an application message. The payload is whatever follows the variable header. */
import { topicNameProblem, validateTopicName } from '../topics/index.ts';
import { readPacketId } from './ack.ts';
import type { ProtocolVersion, PublishPacket, QoS } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { checkBool, checkBytes, checkInt, checkQos, invalid, isPlainTopicName } from './validate.ts';
import { writer } from './writer.ts';

export function encodePublish(p: PublishPacket, v: ProtocolVersion): Uint8Array {
  const { qos, properties } = p;
  // 5.0: an empty topic stands for the topic alias [MQTT-3.3.2-8] [MQTT-3.3.2-12].
  if (!isPlainTopicName(p.topic) && (p.topic !== '' || properties?.topicAlias === undefined)) validateTopicName(p.topic, 'topic');
  checkQos(qos);
  checkBool(p.retain, 'retain');
  checkBool(p.dup, 'dup');
  if (p.dup && !qos) invalid('dup', 'must be false at QoS 0 [MQTT-3.3.1-2]');
  if (qos) checkInt(p.packetId);
  checkBytes(p.payload, 'payload', 268_435_455);
  checkProperties(properties, 3, v);

  const w = writer.begin();
  w.str(p.topic);
  if (qos) w.u16(p.packetId!);
  if (v === 5) writeProperties(w, properties);
  return w.finish(0x30 | (+p.dup << 3) | (qos << 1) | +p.retain, p.payload);
}

export function readPublish(r: Reader, first: number, v: ProtocolVersion): PublishPacket {
  const flags = first & 15;
  const qos = (flags >> 1) & 3;
  // [MQTT-3.3.1-4] QoS 3; [MQTT-3.3.1-2] DUP at QoS 0.
  if (qos === 3 || (flags & 14) === 8) malformed(`PUBLISH flags ${flags} [MQTT-3.3.1-4]`);
  // `payload` is a placeholder until the properties are read; setting it now keeps one object shape.
  const packet: PublishPacket = { type: 'publish', topic: r.str(), payload: r.b, qos: qos as QoS, retain: (flags & 1) === 1, dup: flags > 7 };
  if (qos) packet.packetId = readPacketId(r);
  const props = v === 5 ? readProperties(r, 3) : undefined;
  if (props) packet.properties = props;
  // 5.0: an empty topic name is allowed when a topic alias stands for it.
  if (!isPlainTopicName(packet.topic) && (packet.topic !== '' || props?.topicAlias === undefined)) {
    const problem = topicNameProblem(packet.topic);
    if (problem) malformed(`topic name ${problem}`);
  }
  packet.payload = r.bytes(r.left());
  return packet;
}
