/** SUBSCRIBE (type 8): topic filters, each with a maximum QoS and 5.0 subscription options. */
import { isFilterShape } from '../topics/validate.ts';
import { readPacketId } from './ack.ts';
import type { ProtocolVersion, QoS, SubscribePacket, Subscription, UnsubscribePacket } from './packets.ts';
import { readProperties, writeProperties } from './properties.ts';
import { malformed, protocolError, type Reader } from './reader.ts';
import { bool, int, invalid } from './validate.ts';
import { writer, type Writer } from './writer.ts';

/**
 * Starts a SUBSCRIBE or UNSUBSCRIBE (type 8 or 10): checks it has at least one entry [MQTT-3.8.3-3]
 * [MQTT-3.10.3-2], writes the packet identifier and properties, and returns the writer for the entries.
 */
export function beginFilters(p: SubscribePacket | UnsubscribePacket, list: unknown[] | undefined, field: string, type: number, v: ProtocolVersion): Writer {
  if (!list?.length) invalid(field, 'must not be empty');
  const w = writer.begin();
  w.u16(int(p.packetId));
  writeProperties(w, p.properties, type, v);
  return w;
}

/** Writes a topic filter of SUBSCRIBE or UNSUBSCRIBE. */
export function writeFilter(w: Writer, filter: string, field: string): void {
  w.str(filter, field);
  if (!isFilterShape(filter)) invalid(field, 'is not a topic filter [MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.8.2-1]');
}

export function encodeSubscribe(p: SubscribePacket, v: ProtocolVersion): Uint8Array {
  const w = beginFilters(p, p.subscriptions, 'subscriptions', 8, v);
  p.subscriptions.forEach((s, i) => {
    const at = `subscriptions[${i}]`;
    writeFilter(w, s.filter, `${at}.filter`);
    const noLocal = bool(s.noLocal ?? false, `${at}.noLocal`);
    const retainAsPublished = bool(s.retainAsPublished ?? false, `${at}.retainAsPublished`);
    const retainHandling = int(s.retainHandling ?? 0, `${at}.retainHandling`, 0, 2);
    if (v === 4 && (noLocal || retainAsPublished || retainHandling)) invalid(at, 'has 5.0 options at 3.1.1');
    if (noLocal && s.filter.startsWith('$share/')) invalid(`${at}.noLocal`, 'must be false for $share [MQTT-3.8.3-4]');
    w.u8(int(s.qos, `${at}.qos`, 0, 2) | (+noLocal << 2) | (+retainAsPublished << 3) | (retainHandling << 4));
  });
  return w.finish(0x82);
}

/** Reads the packet identifier and properties of a SUBSCRIBE or UNSUBSCRIBE, then its entries with `entry`. */
export function readFilters<P extends SubscribePacket | UnsubscribePacket>(r: Reader, packet: P, list: unknown[], type: number, v: ProtocolVersion, entry: (filter: string) => unknown): P {
  readProperties(r, packet, type, v);
  while (r.left()) {
    const filter = r.str();
    if (!isFilterShape(filter)) malformed('topic filter');
    list.push(entry(filter));
  }
  if (!list.length) protocolError('no topic filters');
  return packet;
}

export function readSubscribe(r: Reader, _first: number, v: ProtocolVersion): SubscribePacket {
  const subscriptions: Subscription[] = [];
  return readFilters(r, { type: 'subscribe', packetId: readPacketId(r), subscriptions }, subscriptions, 8, v, (filter) => {
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
      if (retainHandling === 3 || (sub.noLocal && filter.startsWith('$share/'))) protocolError(`subscription options ${options}`);
    }
    return sub;
  });
}
