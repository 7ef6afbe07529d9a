/**
 * MQTT 5.0 properties: one table row per property drives encode, decode and the per-packet allow-list.
 */
import type { Properties, ProtocolVersion, UserProperty } from './packets.ts';
import * as r from './reader.ts';
import { malformed, protocolError } from './reader.ts';
import { int, invalid } from './validate.ts';
import * as w from './writer.ts';

/** Wire types of property values. Every `byte` property is a flag that must be 0 or 1. */
export type PropertyType = 'byte' | 'uint16' | 'uint32' | 'varint' | 'string' | 'binary' | 'pair';

/**
 * Where a property may be: bit `n` is set for packet type `n` (CONNECT 1 ... AUTH 15); bit 0 stands for the
 * will properties inside CONNECT. `row.allowedIn & (1 << 3)` is true when PUBLISH may carry the property.
 */
export type AllowedIn = number;

export interface PropertyRow {
  id: number;
  name: keyof Properties;
  type: PropertyType;
  allowedIn: AllowedIn;
}

const WILL = 1 << 0;
const CONNECT = 1 << 1;
const CONNACK = 1 << 2;
const PUBLISH = 1 << 3;
const SUBSCRIBE = 1 << 8;
const DISCONNECT = 1 << 14;
const AUTH = 1 << 15;
const MESSAGE = PUBLISH | WILL;
/** PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH. */
const ACKS = 0b1100_1010_1111_0000;

/** Wire type names by index; the codec works with the index (0 byte ... 6 pair). */
const TYPES: readonly PropertyType[] = ['byte', 'uint16', 'uint32', 'varint', 'string', 'binary', 'pair'];

/** Names of the rows below, in order. */
const NAMES = (
  'payloadFormatIndicator messageExpiryInterval contentType responseTopic correlationData subscriptionIdentifier ' +
  'sessionExpiryInterval assignedClientIdentifier serverKeepAlive authenticationMethod authenticationData ' +
  'requestProblemInformation willDelayInterval requestResponseInformation responseInformation serverReference ' +
  'reasonString receiveMaximum topicAliasMaximum topicAlias maximumQoS retainAvailable userProperties ' +
  'maximumPacketSize wildcardSubscriptionAvailable subscriptionIdentifierAvailable sharedSubscriptionAvailable'
).split(' ') as (keyof Properties)[];

/** [id, type index, allowedIn, smallest value (1 where 0 is a protocol error)] per property, in the order of NAMES (§2.2.2.2). */
type Row = readonly [id: number, type: number, allowedIn: AllowedIn, min?: number];
const ROWS: readonly Row[] = [
  [0x01, 0, MESSAGE],
  [0x02, 2, MESSAGE],
  [0x03, 4, MESSAGE],
  [0x08, 4, MESSAGE],
  [0x09, 5, MESSAGE],
  [0x0b, 3, PUBLISH | SUBSCRIBE, 1],
  [0x11, 2, CONNECT | CONNACK | DISCONNECT],
  [0x12, 4, CONNACK],
  [0x13, 1, CONNACK],
  [0x15, 4, CONNECT | CONNACK | AUTH],
  [0x16, 5, CONNECT | CONNACK | AUTH],
  [0x17, 0, CONNECT],
  [0x18, 2, WILL],
  [0x19, 0, CONNECT],
  [0x1a, 4, CONNACK],
  [0x1c, 4, CONNACK | DISCONNECT],
  [0x1f, 4, CONNACK | ACKS],
  [0x21, 1, CONNECT | CONNACK, 1],
  [0x22, 1, CONNECT | CONNACK],
  [0x23, 1, PUBLISH, 1],
  [0x24, 0, CONNACK],
  [0x25, 0, CONNACK],
  [0x26, 6, CONNECT | CONNACK | MESSAGE | SUBSCRIBE | (1 << 10) | ACKS],
  [0x27, 2, CONNECT | CONNACK, 1],
  [0x28, 0, CONNACK],
  [0x29, 0, CONNACK],
  [0x2a, 0, CONNACK],
];

/** Row index by property id and by name. */
const BY_ID: number[] = [];
const BY_NAME: Record<string, number> = {};
ROWS.forEach(([id], i) => (BY_NAME[NAMES[i]!] = BY_ID[id] = i));

/** Every MQTT 5.0 property (§2.2.2.2). Built only where imported: the codec itself reads the rows above. */
export const PROPERTIES: readonly PropertyRow[] = /* @__PURE__ */ ROWS.map(([id, t, allowedIn], i) => ({ id, name: NAMES[i]!, type: TYPES[t]!, allowedIn }));

/** Empty, or holding a wildcard. */
const NOT_A_TOPIC_NAME = /^$|[+#]/;

/** Largest value by type index: byte (a 0/1 flag), uint16, uint32, varint. */
const MAX = [1, 65_535, 4_294_967_295, 268_435_455];

/** True when `props` holds at least one property. */
export function hasProperties(props: Properties | undefined): props is Properties {
  for (const key in props) if ((props as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

/**
 * Writes the property length and properties of packet type `type` (0 for will properties), checking each
 * property's name, place and value as it goes; at 3.1.1 (`v` 4) there must be none and nothing is written.
 */
export function writeProperties(props: Properties | undefined, type: number, v: ProtocolVersion, field = 'properties'): void {
  if (v === 4) {
    if (hasProperties(props)) invalid(field, '5.0 only');
    return;
  }
  const start = w.at();
  w.u8(0);
  for (const key in props) {
    const value = (props as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const [id, t, allowedIn, min = 0] = ROWS[BY_NAME[key]!] ?? [];
    const at = `${field}.${key}`;
    if (!(allowedIn! & (1 << type))) invalid(at, 'is not allowed here');
    // User properties and subscription identifiers are arrays: one property per element. A SUBSCRIBE carries one
    // identifier, a PUBLISH one per matching subscription.
    const many = t === 6 || id === 0x0b;
    const one = type === 8 && many && t === 3;
    if (many && (!Array.isArray(value) || (one && value.length !== 1))) invalid(at, one ? 'must be an array of one' : 'must be an array');
    if (!many) writeValue(id!, t!, min, value, at);
    else (value as unknown[]).forEach((x, i) => writeValue(id!, t!, min, x, `${at}[${i}]`));
  }
  w.lengthFrom(start);
}

/** Writes property `id` of type index `t` with value `x`, or throws naming `field`. */
function writeValue(id: number, t: number, min: number, x: unknown, field: string): void {
  w.u8(id);
  if (t === 6) {
    w.str((x as UserProperty)[0], `${field}[0]`);
    w.str((x as UserProperty)[1], `${field}[1]`);
  } else if (t === 5) w.bin(x, field);
  else if (t === 4) {
    // [MQTT-3.3.2-14, MQTT-4.7.3-1] a response topic is a topic name: no wildcard, not empty.
    if (id === 8 && NOT_A_TOPIC_NAME.test(x as string)) invalid(field, 'must be a topic name');
    w.str(x, field);
  } else {
    const n = int(x, field, min, MAX[t]);
    if (t === 3) w.varint(n);
    else {
      // A four-byte integer is two two-byte halves.
      if (t === 2) w.u16(n >>> 16);
      if (t) w.u16(n & 65_535);
      else w.u8(n);
    }
  }
}

/**
 * At 5.0 (`v` 5), reads the property length and properties of packet type `type` (as in writeProperties) and
 * sets them as `packet.properties`, which stays absent when there are none. Returns what it set.
 */
export function readProperties(packet: { properties?: Properties }, type: number, v: ProtocolVersion): Properties | undefined {
  if (v === 4) return;
  const end = r.varint() + r.p;
  if (end > r.e) malformed('property length');
  const outerEnd = r.limit(end);
  let props: Record<string, unknown> | undefined;
  while (r.p < end) {
    const id = r.varint();
    const i = BY_ID[id]!;
    const [, t, allowedIn = 0, min] = ROWS[i] ?? [];
    // An identifier not valid for the packet is a Malformed Packet (§2.2.2.2).
    if (!(allowedIn & (1 << type))) malformed(`property ${id}`);
    const name = NAMES[i]!;
    const value = t === 0 ? r.u8() : t === 1 ? r.u16() : t === 2 ? r.u16() * 65_536 + r.u16() : t === 3 ? r.varint() : t === 4 ? r.str() : t === 5 ? r.bin() : [r.str(), r.str()];
    // Alias 0 has its own reason code, Topic Alias invalid (0x94) [MQTT-3.3.2-8].
    if (value === 0 && min) protocolError(`${name} 0`, id === 0x23 ? 0x94 : 0x82);
    if ((!t && (value as number) > 1) || (id === 8 && NOT_A_TOPIC_NAME.test(value as string))) protocolError(`${name} "${value}"`);
    props ??= {};
    const seen = props[name];
    if (t === 6 || id === 0x0b) {
      // User properties keep their order; PUBLISH carries one subscription identifier per matching subscription.
      if (seen && (t === 6 || type === 3)) (seen as unknown[]).push(value);
      else props[name] = seen ? protocolError(`${name} twice`) : [value];
    } else props[name] = seen === undefined ? value : protocolError(`${name} twice`);
  }
  r.limit(outerEnd);
  if (props) packet.properties = props;
  return props;
}
