/** SUBSCRIBE (type 8): topic filters, each with a maximum QoS and 5.0 subscription options. */
import { topicFilterProblem, validateTopicFilter } from '../topics/index.ts';
import type { ProtocolVersion, QoS, SubscribePacket, Subscription } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, protocolError, type Reader } from './reader.ts';
import { checkBool, checkInt, checkPacketId, checkQos, invalid } from './validate.ts';
import { writer } from './writer.ts';

export function encodeSubscribe(p: SubscribePacket, v: ProtocolVersion): Uint8Array {
  checkPacketId(p.packetId);
  const subs = p.subscriptions;
  if (!Array.isArray(subs) || !subs.length) invalid('subscriptions', 'must hold at least one subscription [MQTT-3.8.3-3]');
  subs.forEach((s, i) => {
    const at = `subscriptions[${i}].`;
    validateTopicFilter(s.filter, `${at}filter`);
    checkQos(s.qos, `${at}qos`);
    if (v === 4) {
      if (s.noLocal || s.retainAsPublished || s.retainHandling) invalid(at.slice(0, -1), 'has 5.0 subscription options at MQTT 3.1.1');
    } else {
      if (s.noLocal !== undefined) checkBool(s.noLocal, `${at}noLocal`);
      if (s.retainAsPublished !== undefined) checkBool(s.retainAsPublished, `${at}retainAsPublished`);
      if (s.retainHandling !== undefined) checkInt(s.retainHandling, `${at}retainHandling`, 0, 2);
      if (s.noLocal && s.filter.startsWith('$share/')) invalid(`${at}noLocal`, 'must be false on a shared subscription [MQTT-3.8.3-4]');
    }
  });
  checkProperties(p.properties, 'subscribe', v);

  const w = writer.begin();
  w.u16(p.packetId);
  if (v === 5) writeProperties(w, p.properties);
  for (const s of subs) {
    w.str(s.filter);
    w.u8(s.qos | (s.noLocal ? 4 : 0) | (s.retainAsPublished ? 8 : 0) | ((s.retainHandling ?? 0) << 4));
  }
  return w.finish(0x82);
}

export function readSubscribe(r: Reader, v: ProtocolVersion): SubscribePacket {
  const packetId = r.u16();
  if (!packetId) malformed('packet identifier 0 [MQTT-2.3.1-1]');
  const props = v === 5 ? readProperties(r, 'subscribe') : undefined;
  const subscriptions: Subscription[] = [];
  while (r.left()) {
    const filter = r.str();
    if (topicFilterProblem(filter)) malformed(`invalid topic filter ${JSON.stringify(filter.slice(0, 80))}`);
    const options = r.u8();
    const qos = options & 3;
    if (options & (v === 4 ? 0xfc : 0xc0)) malformed(`reserved subscription option bits are set [MQTT-3.8.3-${v === 4 ? 4 : 5}]`);
    if (qos === 3) malformed('subscription with QoS 3');
    if (v === 4) {
      subscriptions.push({ filter, qos: qos as QoS });
    } else {
      const retainHandling = options >> 4;
      if (retainHandling === 3) protocolError('retain handling 3');
      const noLocal = (options & 4) === 4;
      if (noLocal && filter.startsWith('$share/')) protocolError('No Local on a shared subscription [MQTT-3.8.3-4]');
      subscriptions.push({ filter, qos: qos as QoS, noLocal, retainAsPublished: (options & 8) === 8, retainHandling: retainHandling as 0 | 1 | 2 });
    }
  }
  if (!subscriptions.length) protocolError('SUBSCRIBE without subscriptions [MQTT-3.8.3-3]');
  const packet: SubscribePacket = { type: 'subscribe', packetId, subscriptions };
  if (props) packet.properties = props;
  return packet;
}
