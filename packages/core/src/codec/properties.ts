/**
 * MQTT 5.0 properties: one table row per property drives encode, decode and the per-packet allow-list.
 */
import type { PacketType, Properties, ProtocolVersion, UserProperty } from './packets.ts';
import { malformed, protocolError, type Reader } from './reader.ts';
import { checkBytes, checkInt, checkString, invalid } from './validate.ts';
import type { Writer } from './writer.ts';

/** Wire types of property values. All `byte` properties are flags that must be 0 or 1. */
export type PropertyType = 'byte' | 'uint16' | 'uint32' | 'varint' | 'string' | 'binary' | 'pair';

/** Where a property may appear: a packet type, or `will` for the will properties inside CONNECT. */
export type PropertyPlace = PacketType | 'will';

export interface PropertyRow {
  id: number;
  name: keyof Properties;
  type: PropertyType;
  allowedIn: readonly PropertyPlace[];
  /** 0 is a protocol error (receive maximum, maximum packet size, topic alias, subscription identifier). */
  nonZero?: true;
}

const MESSAGE: readonly PropertyPlace[] = ['publish', 'will'];
const ACKS: readonly PropertyPlace[] = ['puback', 'pubrec', 'pubrel', 'pubcomp', 'suback', 'unsuback', 'disconnect', 'auth'];

/** Every MQTT 5.0 property (§2.2.2.2). */
export const PROPERTIES: readonly PropertyRow[] = [
  { id: 0x01, name: 'payloadFormatIndicator', type: 'byte', allowedIn: MESSAGE },
  { id: 0x02, name: 'messageExpiryInterval', type: 'uint32', allowedIn: MESSAGE },
  { id: 0x03, name: 'contentType', type: 'string', allowedIn: MESSAGE },
  { id: 0x08, name: 'responseTopic', type: 'string', allowedIn: MESSAGE },
  { id: 0x09, name: 'correlationData', type: 'binary', allowedIn: MESSAGE },
  { id: 0x0b, name: 'subscriptionIdentifier', type: 'varint', allowedIn: ['publish', 'subscribe'], nonZero: true },
  { id: 0x11, name: 'sessionExpiryInterval', type: 'uint32', allowedIn: ['connect', 'connack', 'disconnect'] },
  { id: 0x12, name: 'assignedClientIdentifier', type: 'string', allowedIn: ['connack'] },
  { id: 0x13, name: 'serverKeepAlive', type: 'uint16', allowedIn: ['connack'] },
  { id: 0x15, name: 'authenticationMethod', type: 'string', allowedIn: ['connect', 'connack', 'auth'] },
  { id: 0x16, name: 'authenticationData', type: 'binary', allowedIn: ['connect', 'connack', 'auth'] },
  { id: 0x17, name: 'requestProblemInformation', type: 'byte', allowedIn: ['connect'] },
  { id: 0x18, name: 'willDelayInterval', type: 'uint32', allowedIn: ['will'] },
  { id: 0x19, name: 'requestResponseInformation', type: 'byte', allowedIn: ['connect'] },
  { id: 0x1a, name: 'responseInformation', type: 'string', allowedIn: ['connack'] },
  { id: 0x1c, name: 'serverReference', type: 'string', allowedIn: ['connack', 'disconnect'] },
  { id: 0x1f, name: 'reasonString', type: 'string', allowedIn: ['connack', ...ACKS] },
  { id: 0x21, name: 'receiveMaximum', type: 'uint16', allowedIn: ['connect', 'connack'], nonZero: true },
  { id: 0x22, name: 'topicAliasMaximum', type: 'uint16', allowedIn: ['connect', 'connack'] },
  { id: 0x23, name: 'topicAlias', type: 'uint16', allowedIn: ['publish'], nonZero: true },
  { id: 0x24, name: 'maximumQoS', type: 'byte', allowedIn: ['connack'] },
  { id: 0x25, name: 'retainAvailable', type: 'byte', allowedIn: ['connack'] },
  { id: 0x26, name: 'userProperties', type: 'pair', allowedIn: ['connect', 'connack', 'publish', 'will', 'subscribe', 'unsubscribe', ...ACKS] },
  { id: 0x27, name: 'maximumPacketSize', type: 'uint32', allowedIn: ['connect', 'connack'], nonZero: true },
  { id: 0x28, name: 'wildcardSubscriptionAvailable', type: 'byte', allowedIn: ['connack'] },
  { id: 0x29, name: 'subscriptionIdentifierAvailable', type: 'byte', allowedIn: ['connack'] },
  { id: 0x2a, name: 'sharedSubscriptionAvailable', type: 'byte', allowedIn: ['connack'] },
];

const byId: (PropertyRow | undefined)[] = [];
const byName: Record<string, PropertyRow> = {};
for (const row of PROPERTIES) {
  byId[row.id] = row;
  byName[row.name] = row;
}

const MAX: Record<PropertyType, number> = { byte: 1, uint16: 65_535, uint32: 4_294_967_295, varint: 268_435_455, string: 0, binary: 0, pair: 0 };

/** True when `props` holds at least one property. */
export function hasProperties(props: Properties | undefined): props is Properties {
  if (props) for (const key in props) if ((props as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

/** Checks every property's name, place and value before encoding; at 3.1.1 there must be none. */
export function checkProperties(props: Properties | undefined, place: PropertyPlace, v: ProtocolVersion, field = 'properties'): void {
  if (props === undefined) return;
  if (typeof props !== 'object' || props === null) invalid(field, 'must be an object');
  if (v === 4 && hasProperties(props)) invalid(field, 'are MQTT 5.0 only: remove them at MQTT 3.1.1');
  for (const key in props) {
    const value = (props as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const row = byName[key];
    const at = `${field}.${key}`;
    if (!row) invalid(at, 'is not an MQTT 5.0 property');
    if (!row.allowedIn.includes(place)) invalid(at, `is not allowed in ${place}`);
    const type = row.type;
    if (type === 'string') {
      checkString(value, at);
      if (key === 'responseTopic' && /[+#]/.test(value as string)) invalid(at, 'must not contain wildcards [MQTT-3.3.2-14]');
    } else if (type === 'binary') {
      checkBytes(value, at);
    } else if (type === 'pair') {
      if (!Array.isArray(value)) invalid(at, 'must be an array of [name, value] pairs');
      value.forEach((pair: unknown, i) => {
        if (!Array.isArray(pair) || pair.length !== 2) invalid(`${at}[${i}]`, 'must be a [name, value] pair');
        checkString(pair[0], `${at}[${i}][0]`);
        checkString(pair[1], `${at}[${i}][1]`);
      });
    } else if (row.id === 0x0b) {
      // Subscription identifiers: an array, one per matching subscription in PUBLISH, one in SUBSCRIBE.
      if (!Array.isArray(value) || (place !== 'publish' && value.length !== 1)) invalid(at, place === 'publish' ? 'must be an array' : 'must be an array of one identifier');
      value.forEach((id: unknown, i) => checkInt(id, `${at}[${i}]`, 1, MAX.varint));
    } else {
      checkInt(value, at, row.nonZero ? 1 : 0, MAX[type]);
    }
  }
}

/** Writes the property length and properties. Expects checked input. */
export function writeProperties(w: Writer, props: Properties | undefined): void {
  const start = w.p;
  w.u8(0);
  if (props) {
    for (const key in props) {
      const value = (props as Record<string, unknown>)[key];
      if (value === undefined) continue;
      const row = byName[key]!;
      const id = row.id;
      switch (row.type) {
        case 'byte':
          w.u8(id);
          w.u8(value as number);
          break;
        case 'uint16':
          w.u8(id);
          w.u16(value as number);
          break;
        case 'uint32':
          w.u8(id);
          w.u32(value as number);
          break;
        case 'varint':
          for (const x of value as number[]) {
            w.u8(id);
            w.varint(x);
          }
          break;
        case 'string':
          w.u8(id);
          w.str(value as string);
          break;
        case 'binary':
          w.u8(id);
          w.bin(value as Uint8Array);
          break;
        case 'pair':
          for (const [k, v] of value as UserProperty[]) {
            w.u8(id);
            w.str(k);
            w.str(v);
          }
      }
    }
  }
  w.lengthFrom(start);
}

/** Reads the property length and properties; `undefined` when there are none. */
export function readProperties(r: Reader, place: PropertyPlace): Properties | undefined {
  const length = r.varint();
  if (length === 0) return undefined;
  const end = r.p + length;
  if (end > r.e) malformed('property length exceeds the packet');
  const outerEnd = r.e;
  r.e = end;
  const props: Record<string, unknown> = {};
  while (r.p < end) {
    const id = r.varint();
    const row = byId[id];
    // An identifier not valid for the packet is a Malformed Packet (§2.2.2.2).
    if (!row) malformed(`unknown property 0x${id.toString(16)}`);
    const name = row.name;
    if (!row.allowedIn.includes(place)) malformed(`property ${name} is not allowed in ${place}`);
    let value: unknown;
    switch (row.type) {
      case 'byte':
        value = r.u8();
        if ((value as number) > 1) protocolError(`${name} must be 0 or 1`);
        break;
      case 'uint16':
        value = r.u16();
        break;
      case 'uint32':
        value = r.u32();
        break;
      case 'varint':
        value = r.varint();
        break;
      case 'string':
        value = r.str();
        if (id === 0x08 && /[+#]/.test(value as string)) protocolError('response topic contains a wildcard');
        break;
      case 'binary':
        value = r.bin();
        break;
      case 'pair':
        value = [r.str(), r.str()];
    }
    if (row.nonZero && value === 0) protocolError(`${name} must not be 0`);
    const seen = props[name];
    if (id === 0x26 || (id === 0x0b && place === 'publish')) {
      // Repeatable: user properties keep their order; PUBLISH carries one subscription identifier per match.
      if (seen) (seen as unknown[]).push(value);
      else props[name] = [value];
    } else if (seen !== undefined) {
      protocolError(`property ${name} appears more than once`);
    } else {
      props[name] = id === 0x0b ? [value] : value;
    }
  }
  r.e = outerEnd;
  return props as Properties;
}
