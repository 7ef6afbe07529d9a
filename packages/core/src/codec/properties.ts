/**
 * MQTT 5.0 properties: one table row per property drives encode, decode and the per-packet allow-list.
 */
import type { Properties, ProtocolVersion, UserProperty } from './packets.ts';
import { malformed, protocolError, type Reader } from './reader.ts';
import { checkBytes, checkInt, checkString, invalid } from './validate.ts';
import type { Writer } from './writer.ts';

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

const row = (id: number, name: keyof Properties, type: PropertyType, allowedIn: AllowedIn): PropertyRow => ({ id, name, type, allowedIn });

/** Every MQTT 5.0 property (§2.2.2.2). */
export const PROPERTIES: readonly PropertyRow[] = [
  row(0x01, 'payloadFormatIndicator', 'byte', MESSAGE),
  row(0x02, 'messageExpiryInterval', 'uint32', MESSAGE),
  row(0x03, 'contentType', 'string', MESSAGE),
  row(0x08, 'responseTopic', 'string', MESSAGE),
  row(0x09, 'correlationData', 'binary', MESSAGE),
  row(0x0b, 'subscriptionIdentifier', 'varint', PUBLISH | SUBSCRIBE),
  row(0x11, 'sessionExpiryInterval', 'uint32', CONNECT | CONNACK | DISCONNECT),
  row(0x12, 'assignedClientIdentifier', 'string', CONNACK),
  row(0x13, 'serverKeepAlive', 'uint16', CONNACK),
  row(0x15, 'authenticationMethod', 'string', CONNECT | CONNACK | AUTH),
  row(0x16, 'authenticationData', 'binary', CONNECT | CONNACK | AUTH),
  row(0x17, 'requestProblemInformation', 'byte', CONNECT),
  row(0x18, 'willDelayInterval', 'uint32', WILL),
  row(0x19, 'requestResponseInformation', 'byte', CONNECT),
  row(0x1a, 'responseInformation', 'string', CONNACK),
  row(0x1c, 'serverReference', 'string', CONNACK | DISCONNECT),
  row(0x1f, 'reasonString', 'string', CONNACK | ACKS),
  row(0x21, 'receiveMaximum', 'uint16', CONNECT | CONNACK),
  row(0x22, 'topicAliasMaximum', 'uint16', CONNECT | CONNACK),
  row(0x23, 'topicAlias', 'uint16', PUBLISH),
  row(0x24, 'maximumQoS', 'byte', CONNACK),
  row(0x25, 'retainAvailable', 'byte', CONNACK),
  row(0x26, 'userProperties', 'pair', CONNECT | CONNACK | MESSAGE | SUBSCRIBE | (1 << 10) | ACKS),
  row(0x27, 'maximumPacketSize', 'uint32', CONNECT | CONNACK),
  row(0x28, 'wildcardSubscriptionAvailable', 'byte', CONNACK),
  row(0x29, 'subscriptionIdentifierAvailable', 'byte', CONNACK),
  row(0x2a, 'sharedSubscriptionAvailable', 'byte', CONNACK),
];

const byId: PropertyRow[] = [];
const byName: Record<string, PropertyRow> = {};
for (const r of PROPERTIES) byId[r.id] = byName[r.name] = r;

/** 0 is a protocol error for receive maximum, topic alias, maximum packet size and subscription identifier. */
const nonZero = (id: number): boolean => id === 0x21 || id === 0x23 || id === 0x27 || id === 0x0b;

const MAX = { byte: 1, uint16: 65_535, uint32: 4_294_967_295, varint: 268_435_455 } as Record<PropertyType, number>;

/** True when `props` holds at least one property. */
export function hasProperties(props: Properties | undefined): props is Properties {
  for (const key in props) if ((props as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

/**
 * Checks every property's name, place and value before encoding; at 3.1.1 there must be none.
 * `type` is the packet type number, 0 for will properties.
 */
export function checkProperties(props: Properties | undefined, type: number, v: ProtocolVersion, field = 'properties'): void {
  if (v === 4 && hasProperties(props)) invalid(field, 'are MQTT 5.0 only');
  for (const key in props) {
    const value = (props as Record<string, unknown>)[key];
    const r = byName[key];
    const at = `${field}.${key}`;
    if (value === undefined) continue;
    if (!r || !(r.allowedIn & (1 << type))) invalid(at, 'is not a property of this packet');
    if (r.type === 'string') {
      checkString(value, at);
      // [MQTT-3.3.2-14] a response topic is a topic name.
      if (r.id === 8 && /[+#]/.test(value as string)) invalid(at, 'must not contain wildcards');
    } else if (r.type === 'binary') {
      checkBytes(value, at);
    } else if (!Array.isArray(value)) {
      checkInt(value, at, +nonZero(r.id), MAX[r.type]);
    } else if (r.type === 'pair') {
      value.forEach((pair: UserProperty, i) => {
        checkString(pair[0], `${at}[${i}][0]`);
        checkString(pair[1], `${at}[${i}][1]`);
      });
    } else {
      // Subscription identifiers: an array, one per matching subscription in PUBLISH, one in SUBSCRIBE.
      if (type === 8 && value.length !== 1) invalid(at, 'must hold one identifier');
      value.forEach((id, i) => checkInt(id, `${at}[${i}]`, 1, MAX.varint));
    }
  }
}

/** Writes the property length and properties. Expects checked input. */
export function writeProperties(w: Writer, props: Properties | undefined): void {
  const start = w.p;
  w.u8(0);
  for (const key in props) {
    const value = (props as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const { id, type } = byName[key]!;
    for (const x of Array.isArray(value) ? value : [value]) {
      w.u8(id);
      if (type === 'byte') w.u8(x);
      else if (type === 'uint16') w.u16(x);
      else if (type === 'uint32') w.u32(x);
      else if (type === 'varint') w.varint(x);
      else if (type === 'string') w.str(x);
      else if (type === 'binary') w.bin(x);
      else {
        w.str(x[0]);
        w.str(x[1]);
      }
    }
  }
  w.lengthFrom(start);
}

/** Reads the property length and properties; `undefined` when there are none. `type` as in checkProperties. */
export function readProperties(r: Reader, type: number): Properties | undefined {
  const end = r.varint() + r.p;
  if (end > r.e) malformed('property length exceeds the packet');
  const outerEnd = r.e;
  r.e = end;
  let props: Record<string, unknown> | undefined;
  while (r.p < end) {
    const id = r.varint();
    const row = byId[id];
    // An identifier not valid for the packet is a Malformed Packet (§2.2.2.2).
    if (!row || !(row.allowedIn & (1 << type))) malformed(`property 0x${id.toString(16)} in packet type ${type}`);
    const t = row.type;
    const name = row.name;
    const value =
      t === 'byte' ? r.u8() : t === 'uint16' ? r.u16() : t === 'uint32' ? r.u32() : t === 'varint' ? r.varint() : t === 'string' ? r.str() : t === 'binary' ? r.bin() : [r.str(), r.str()];
    if ((t === 'byte' && (value as number) > 1) || (value === 0 && nonZero(id)) || (id === 8 && /[+#]/.test(value as string))) protocolError(`${name} ${value}`);
    props ??= {};
    const seen = props[name];
    if (id === 0x26 || id === 0x0b) {
      // User properties keep their order; PUBLISH carries one subscription identifier per matching subscription.
      if (seen && id === 0x0b && type !== 3) protocolError(`${name} twice`);
      if (seen) (seen as unknown[]).push(value);
      else props[name] = [value];
    } else {
      if (seen !== undefined) protocolError(`${name} twice`);
      props[name] = value;
    }
  }
  r.e = outerEnd;
  return props as Properties | undefined;
}
