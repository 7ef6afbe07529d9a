/**
 * Every packet but CONNECT and PUBLISH, read and written by one pair of functions: their bodies are made of the
 * same few parts, by type number (§3):
 *
 *   CONNACK (2)                 flags, reason code, properties
 *   PUBACK ... PUBCOMP (4-7)    packet identifier, then at 5.0 [reason code, [properties]]
 *   SUBSCRIBE ... UNSUBACK (8-11)  packet identifier, properties, one entry per filter (none in a 3.1.1 UNSUBACK)
 *   PINGREQ, PINGRESP (12, 13)  nothing
 *   DISCONNECT, AUTH (14, 15)   at 5.0 [reason code, [properties]]; AUTH is 5.0 only
 *
 * The bracketed reason code and properties may be left out when the code is 0 and there are no properties
 * [MQTT-3.4.2.1]; 3.1.1 has neither.
 */
import { isFilterShape } from '../topics/validate.ts';
import { PACKET_TYPES, type ConnectPacket, type Packet, type ProtocolVersion, type PublishPacket, type QoS, type Subscription } from './packets.ts';
import { hasProperties, readProperties, writeProperties } from './properties.ts';
import * as r from './reader.ts';
import { malformed, protocolError } from './reader.ts';
import { bool, int, invalid } from './validate.ts';
import * as w from './writer.ts';

/** The packets this module reads and writes. */
export type LayoutPacket = Exclude<Packet, ConnectPacket | PublishPacket>;

/** Their fields, looked up by name: which ones a packet has follows from its type number. */
type Fields = Record<string, any>;

/** Fixed header flags: 0010 for PUBREL, SUBSCRIBE and UNSUBSCRIBE (types 6, 8, 10), else 0000 [MQTT-2.2.2-2]. */
export const fixedFlags = (type: number): number => ((0x540 >> type) & 1) << 1;

/** Name of the list a SUBSCRIBE, SUBACK, UNSUBSCRIBE or UNSUBACK carries. */
const listName = (type: number): string => (type === 8 ? 'subscriptions' : type === 10 ? 'filters' : 'reasonCodes');

/** 3.1.1 SUBACK return codes: granted QoS 0-2 or 0x80 failure [MQTT-3.9.3-2]. */
const V4_CODES = [0, 1, 2, 0x80];

/** True for types with a reason code: CONNACK, PUBACK ... PUBCOMP, DISCONNECT, AUTH. */
const hasCode = (type: number): boolean => type === 2 || (type > 3 && type < 8) || type > 13;

export function encodeLayout(packet: LayoutPacket, v: ProtocolVersion): Uint8Array {
  const p = packet as Fields;
  const type = PACKET_TYPES.indexOf(packet.type);
  if (type === 15 && v === 4) invalid('type', '5.0 only');
  w.begin();
  if (type === 2) w.u8(+bool(p.sessionPresent, 'sessionPresent'));
  else if (type < 12) w.u16(int(p.packetId));
  if (hasCode(type)) {
    // A 3.1.1 CONNACK return code is 0-5 [MQTT-3.2.2-4]; other 3.1.1 packets have none.
    const code = int(type === 2 ? p.reasonCode : (p.reasonCode ?? 0), 'reasonCode', 0, v === 5 ? 255 : type === 2 ? 5 : 0);
    const props = type === 2 || hasProperties(p.properties);
    if (code || props) w.u8(code);
    if (props) writeProperties(p.properties, type, v);
  } else if (type < 12) {
    const field = listName(type);
    const list = p[field];
    // One entry per filter, and at least one [MQTT-3.8.3-3] [MQTT-3.10.3-2]; none in a 3.1.1 UNSUBACK.
    const none = type === 11 && v === 4;
    if (!Array.isArray(list) || !list.length !== none) invalid(field, none ? 'must be empty at 3.1.1' : 'must not be empty');
    writeProperties(p.properties, type, v);
    list.forEach((x: any, i: number) => {
      const at = `${field}[${i}]`;
      // SUBACK, UNSUBACK (types 9, 11): a reason code per entry. SUBSCRIBE, UNSUBSCRIBE (8, 10): a filter, and
      // in a SUBSCRIBE its options byte.
      if (type & 1) {
        w.u8(v === 4 && !V4_CODES.includes(x) ? invalid(at, 'must be 0, 1, 2 or 128 at 3.1.1') : int(x, at, 0, 255));
        return;
      }
      const filter = type === 8 ? x.filter : x;
      const f = type === 8 ? `${at}.filter` : at;
      w.str(filter, f);
      if (!isFilterShape(filter)) invalid(f, 'is not a topic filter');
      if (type === 10) return;
      const noLocal = bool(x.noLocal ?? false, `${at}.noLocal`);
      const retainAsPublished = bool(x.retainAsPublished ?? false, `${at}.retainAsPublished`);
      const retainHandling = int(x.retainHandling ?? 0, `${at}.retainHandling`, 0, 2);
      if (v === 4 && (noLocal || retainAsPublished || retainHandling)) invalid(at, 'has 5.0 options');
      if (noLocal && filter.startsWith('$share/')) invalid(`${at}.noLocal`, 'must be false with $share');
      w.u8(int(x.qos, `${at}.qos`, 0, 2) | (+noLocal << 2) | (+retainAsPublished << 3) | (retainHandling << 4));
    });
  }
  return w.finish((type << 4) | fixedFlags(type));
}

/** Reads any of these packets, by the type in the first byte; at 5.0 a reason code is always set (0 when left out). */
export function readLayout(first: number, v: ProtocolVersion): LayoutPacket {
  const type = first >> 4;
  const p: Fields = { type: PACKET_TYPES[type] };
  if (type === 2) {
    const flags = r.u8();
    p.sessionPresent = flags === 1;
    // Reserved flag bits [MQTT-3.2.2-1].
    if (flags > 1) malformed('CONNACK flags');
  } else if (type < 12) p.packetId = r.id();
  if (hasCode(type)) {
    if (type === 2 || v === 5) {
      p.reasonCode = type === 2 || r.left() ? r.u8() : 0;
      if (type === 2 && v === 4 && p.reasonCode > 5) malformed('CONNACK return code');
      if (type === 2 || r.left()) readProperties(p, type, v);
    }
  } else if (type < 12) {
    const list: unknown[] = (p[listName(type)] = []);
    readProperties(p, type, v);
    // A 3.1.1 UNSUBACK carries no codes: anything after the packet identifier is left for the trailing-bytes check.
    const none = type === 11 && v === 4;
    while (r.left() && !none) {
      // As in encodeLayout: a code (SUBACK, UNSUBACK), a filter, or a filter and its options (SUBSCRIBE).
      if (type & 1) {
        const code = r.u8();
        if (v === 4 && !V4_CODES.includes(code)) malformed('SUBACK return code');
        list.push(code);
        continue;
      }
      const filter = r.str();
      if (!isFilterShape(filter)) malformed('topic filter');
      if (type === 10) {
        list.push(filter);
        continue;
      }
      const options = r.u8();
      const qos = options & 3;
      const retainHandling = options >> 4;
      // Reserved bits [MQTT-3.8.3-4] (3.1.1: bits 2-7) [MQTT-3.8.3-5] (5.0: bits 6-7) are malformed, and so is
      // QoS 3 at 3.1.1 [MQTT-3-8.3-4]; at 5.0 QoS 3 is a Protocol Error (3.8.3.1).
      if (options & (v === 4 ? 0xfc : 0xc0) || (qos === 3 && v === 4)) malformed('subscription options');
      const sub: Subscription = { filter, qos: qos as QoS };
      if (v === 5) {
        sub.noLocal = (options & 4) > 0;
        sub.retainAsPublished = (options & 8) > 0;
        sub.retainHandling = retainHandling as 0 | 1 | 2;
        if (qos === 3 || retainHandling === 3 || (sub.noLocal && filter.startsWith('$share/'))) protocolError('subscription options');
      }
      list.push(sub);
    }
    // One entry per filter of a SUBSCRIBE / UNSUBSCRIBE, which holds at least one [MQTT-3.8.3-3] [MQTT-3.10.3-2].
    if (!list.length !== none) (type & 1 ? malformed : protocolError)('no entries');
  }
  return p as LayoutPacket;
}
