/** SUBSCRIBE (type 8): topic filters, each with a maximum QoS and 5.0 subscription options. */
import { topicFilterProblem, validateTopicFilter } from '../topics/index.ts';
import { readPacketId } from './ack.ts';
import type { ProtocolVersion, QoS, SubscribePacket, Subscription } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, protocolError, type Reader } from './reader.ts';
import { checkBool, checkInt, checkQos, invalid } from './validate.ts';
import { writer } from './writer.ts';

export function encodeSubscribe(p: SubscribePacket, v: ProtocolVersion): Uint8Array {
  checkInt(p.packetId);
  const subs = p.subscriptions;
  if (!subs?.length) invalid('subscriptions', 'must hold at least one subscription [MQTT-3.8.3-3]');
  subs.forEach((s, i) => {
    const at = `subscriptions[${i}]`;
    validateTopicFilter(s.filter, `${at}.filter`);
    checkQos(s.qos, `${at}.qos`);
    if (v === 4 && (s.noLocal || s.retainAsPublished || s.retainHandling)) invalid(at, 'has MQTT 5.0 options at 3.1.1');
    if (s.noLocal !== undefined) checkBool(s.noLocal, `${at}.noLocal`);
    if (s.retainAsPublished !== undefined) checkBool(s.retainAsPublished, `${at}.retainAsPublished`);
    checkInt(s.retainHandling ?? 0, `${at}.retainHandling`, 0, 2);
    if (s.noLocal && s.filter.startsWith('$share/')) invalid(`${at}.noLocal`, 'must be false on a shared subscription [MQTT-3.8.3-4]');
  });
  checkProperties(p.properties, 8, v);

  const w = writer.begin();
  w.u16(p.packetId);
  if (v === 5) writeProperties(w, p.properties);
  for (const s of subs) {
    w.str(s.filter);
    w.u8(s.qos | (+!!s.noLocal << 2) | (+!!s.retainAsPublished << 3) | ((s.retainHandling ?? 0) << 4));
  }
  return w.finish(0x82);
}

/** A topic filter of SUBSCRIBE or UNSUBSCRIBE. */
export function readFilter(r: Reader): string {
  const filter = r.str();
  if (topicFilterProblem(filter)) malformed(`topic filter ${JSON.stringify(filter.slice(0, 80))}`);
  return filter;
}

export function readSubscribe(r: Reader, _first: number, v: ProtocolVersion): SubscribePacket {
  const packet: SubscribePacket = { type: 'subscribe', packetId: readPacketId(r), subscriptions: [] };
  const props = v === 5 ? readProperties(r, 8) : undefined;
  if (props) packet.properties = props;
  while (r.left()) {
    const filter = readFilter(r);
    const options = r.u8();
    const qos = options & 3;
    const retainHandling = options >> 4;
    // Reserved bits [MQTT-3.8.3-4] (3.1.1: bits 2-7) [MQTT-3.8.3-5] (5.0: bits 6-7); QoS 3 [MQTT-3-8.3-4].
    if (options & (v === 4 ? 0xfc : 0xc0) || qos === 3) malformed(`subscription options ${options}`);
    const sub: Subscription = { filter, qos: qos as QoS };
    if (v === 5) {
      sub.noLocal = (options & 4) > 0;
      sub.retainAsPublished = (options & 8) > 0;
      sub.retainHandling = retainHandling as 0 | 1 | 2;
      if (retainHandling === 3 || (sub.noLocal && filter.startsWith('$share/'))) protocolError(`subscription options ${options} [MQTT-3.8.3-4]`);
    }
    packet.subscriptions.push(sub);
  }
  if (!packet.subscriptions.length) protocolError('no subscriptions [MQTT-3.8.3-3]');
  return packet;
}
