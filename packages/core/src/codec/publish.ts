/** PUBLISH (type 3): an application message. The payload is whatever follows the variable header. */
import { topicNameProblem, validateTopicName } from '../topics/index.ts';
import type { ProtocolVersion, PublishPacket, QoS } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { checkBool, checkBytes, checkPacketId, checkQos, invalid } from './validate.ts';
import { writer } from './writer.ts';

export function encodePublish(p: PublishPacket, v: ProtocolVersion): Uint8Array {
  const { qos, properties } = p;
  // 5.0: an empty topic stands for the topic alias [MQTT-3.3.2-8]... only when an alias is set.
  if (!(p.topic === '' && v === 5 && properties?.topicAlias !== undefined)) validateTopicName(p.topic, 'topic');
  checkQos(qos);
  checkBool(p.retain, 'retain');
  checkBool(p.dup, 'dup');
  if (p.dup && qos === 0) invalid('dup', 'must be false at QoS 0 [MQTT-3.3.1-2]');
  if (qos) checkPacketId(p.packetId);
  checkBytes(p.payload, 'payload', 268_435_455);
  checkProperties(properties, 'publish', v);

  const w = writer.begin();
  w.str(p.topic);
  if (qos) w.u16(p.packetId!);
  if (v === 5) writeProperties(w, properties);
  return w.finish(0x30 | (p.dup ? 8 : 0) | (qos << 1) | (p.retain ? 1 : 0), p.payload);
}

export function readPublish(r: Reader, flags: number, v: ProtocolVersion): PublishPacket {
  const qos = (flags >> 1) & 3;
  if (qos === 3) malformed('PUBLISH with QoS 3 [MQTT-3.3.1-4]');
  if (flags & 8 && !qos) malformed('DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]');
  const topic = r.str();
  const packet: PublishPacket = { type: 'publish', topic, payload: r.b, qos: qos as QoS, retain: (flags & 1) === 1, dup: (flags & 8) === 8 };
  if (qos) {
    const id = r.u16();
    if (!id) malformed('packet identifier 0 [MQTT-2.3.1-1]');
    packet.packetId = id;
  }
  const props = v === 5 ? readProperties(r, 'publish') : undefined;
  if (props) packet.properties = props;
  if (!(topic === '' && props?.topicAlias !== undefined)) {
    if (topicNameProblem(topic)) malformed(`invalid topic name ${JSON.stringify(topic.slice(0, 80))} [MQTT-3.3.2-2]`);
  }
  packet.payload = r.bytes(r.left());
  return packet;
}
