/**
 * Converts between our packets and mqtt-packet's objects, so mqtt-packet can serve as a test oracle.
 * Differences bridged: `cmd`/`messageId`/`unsubscriptions`/`granted`, subscription option names, Buffers,
 * boolean flag properties, and user properties as an object (values of a repeated name grouped in an array).
 */
import type mqttPacket from 'mqtt-packet';
import type { Packet, Properties, UserProperty } from '../../src/codec/index.ts';

type Loose = Record<string, unknown>;

/** Flag properties mqtt-packet reads and writes as booleans; `maximumQoS` stays a number. */
const BOOLEAN_PROPS = ['payloadFormatIndicator', 'requestProblemInformation', 'requestResponseInformation', 'retainAvailable', 'wildcardSubscriptionAvailable', 'subscriptionIdentifierAvailable', 'sharedSubscriptionAvailable'];
const RENAMED: Record<string, string> = { subscriptionIdentifierAvailable: 'subscriptionIdentifiersAvailable' };

/**
 * User properties in the only order mqtt-packet can keep: it holds them in a plain object, so values of one name
 * are grouped, and names come in JavaScript's key order (integer-like names first, ascending, then insertion).
 */
export function groupUserProperties(pairs: readonly UserProperty[]): UserProperty[] {
  const grouped: Record<string, string[]> = {};
  for (const [k, v] of pairs) (grouped[k] ??= []).push(v);
  return Object.entries(grouped).flatMap(([k, values]) => values.map((v): UserProperty => [k, v]));
}

function propsToTheirs(props: Properties | undefined): Loose | undefined {
  if (!props) return undefined;
  const out: Loose = {};
  for (const [key, value] of Object.entries(props)) {
    const name = RENAMED[key] ?? key;
    if (key === 'userProperties') {
      const obj: Record<string, string | string[]> = {};
      for (const [k, v] of value as UserProperty[]) {
        const prev = obj[k];
        obj[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      out[name] = obj;
    } else if (key === 'subscriptionIdentifier') {
      const ids = value as number[];
      out[name] = ids.length === 1 ? ids[0] : ids;
    } else if (BOOLEAN_PROPS.includes(key)) out[name] = value === 1;
    else if (value instanceof Uint8Array) out[name] = Buffer.from(value);
    else out[name] = value;
  }
  return out;
}

function propsFromTheirs(props: Loose | undefined): Properties | undefined {
  if (!props || Object.keys(props).length === 0) return undefined;
  const out: Loose = {};
  for (const [theirName, value] of Object.entries(props)) {
    const key = Object.keys(RENAMED).find((k) => RENAMED[k] === theirName) ?? theirName;
    if (key === 'userProperties') {
      out[key] = Object.entries(value as Record<string, string | string[]>).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x]));
    } else if (key === 'subscriptionIdentifier') out[key] = Array.isArray(value) ? value : [value];
    else if (typeof value === 'boolean') out[key] = value ? 1 : 0;
    else if (value instanceof Uint8Array) out[key] = new Uint8Array(value);
    else out[key] = value;
  }
  return out as Properties;
}

const buf = (b: Uint8Array): Buffer => Buffer.from(b);
const u8 = (b: unknown): Uint8Array => new Uint8Array(b as Buffer);

/** Drops undefined values so objects compare key for key (and satisfy exactOptionalPropertyTypes). */
type Clean<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> };
function clean<T extends object>(o: T): Clean<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Clean<T>;
}

export function toTheirs(p: Packet, v: 4 | 5): mqttPacket.Packet {
  const properties = propsToTheirs(p.type === 'pingreq' || p.type === 'pingresp' ? undefined : p.properties);
  switch (p.type) {
    case 'connect':
      return clean({
        cmd: 'connect', protocolId: 'MQTT', protocolVersion: v, clientId: p.clientId, clean: p.clean, keepalive: p.keepalive,
        username: p.username, password: p.password && buf(p.password), properties,
        will: p.will && clean({ topic: p.will.topic, payload: buf(p.will.payload), qos: p.will.qos, retain: p.will.retain, properties: propsToTheirs(p.will.properties) }),
      }) as mqttPacket.Packet;
    case 'connack':
      return clean({ cmd: 'connack', sessionPresent: p.sessionPresent, [v === 4 ? 'returnCode' : 'reasonCode']: p.reasonCode, properties }) as mqttPacket.Packet;
    case 'publish':
      return clean({ cmd: 'publish', topic: p.topic, payload: buf(p.payload), qos: p.qos, retain: p.retain, dup: p.dup, messageId: p.packetId, properties }) as mqttPacket.Packet;
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return clean({ cmd: p.type, messageId: p.packetId, reasonCode: p.reasonCode, properties }) as mqttPacket.Packet;
    case 'subscribe':
      return clean({
        cmd: 'subscribe', messageId: p.packetId, properties,
        subscriptions: p.subscriptions.map((s) => (v === 4 ? { topic: s.filter, qos: s.qos } : { topic: s.filter, qos: s.qos, nl: !!s.noLocal, rap: !!s.retainAsPublished, rh: s.retainHandling ?? 0 })),
      }) as mqttPacket.Packet;
    case 'suback':
    case 'unsuback':
      return clean({ cmd: p.type, messageId: p.packetId, granted: p.reasonCodes, properties }) as mqttPacket.Packet;
    case 'unsubscribe':
      return clean({ cmd: 'unsubscribe', messageId: p.packetId, unsubscriptions: p.filters, properties }) as mqttPacket.Packet;
    case 'pingreq':
    case 'pingresp':
      return { cmd: p.type };
    case 'disconnect':
    case 'auth':
      return clean({ cmd: p.type, reasonCode: p.reasonCode, properties }) as mqttPacket.Packet;
  }
}

export function fromTheirs(t: Loose, v: 4 | 5): Packet {
  const properties = propsFromTheirs(t.properties as Loose | undefined);
  const withProps = <P extends object>(p: P): P => (properties ? { ...p, properties } : p);
  switch (t.cmd) {
    case 'connect': {
      const w = t.will as Loose | undefined;
      const willProps = w && propsFromTheirs(w.properties as Loose | undefined);
      return withProps(clean({
        type: 'connect' as const, protocolVersion: t.protocolVersion as 4 | 5, clientId: t.clientId as string, clean: t.clean as boolean, keepalive: t.keepalive as number,
        username: (t.username as string | undefined) ?? undefined, password: t.password ? u8(t.password) : undefined,
        will: w && clean({ topic: w.topic as string, payload: u8(w.payload), qos: w.qos as 0, retain: w.retain as boolean, properties: willProps }),
      }));
    }
    case 'connack':
      return withProps({ type: 'connack' as const, sessionPresent: t.sessionPresent as boolean, reasonCode: (v === 4 ? t.returnCode : t.reasonCode) as number });
    case 'publish':
      return withProps(clean({ type: 'publish' as const, topic: t.topic as string, payload: u8(t.payload), qos: t.qos as 0, retain: t.retain as boolean, dup: t.dup as boolean, packetId: (t.qos as number) > 0 ? (t.messageId as number) : undefined }));
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return v === 4 ? { type: t.cmd, packetId: t.messageId as number } : withProps({ type: t.cmd, packetId: t.messageId as number, reasonCode: (t.reasonCode as number | undefined) ?? 0 });
    case 'subscribe':
      return withProps({
        type: 'subscribe' as const, packetId: t.messageId as number,
        subscriptions: (t.subscriptions as Loose[]).map((s) => (v === 4 ? { filter: s.topic as string, qos: s.qos as 0 } : { filter: s.topic as string, qos: s.qos as 0, noLocal: !!s.nl, retainAsPublished: !!s.rap, retainHandling: ((s.rh as number) ?? 0) as 0 })),
      });
    case 'suback':
    case 'unsuback':
      return withProps({ type: t.cmd, packetId: t.messageId as number, reasonCodes: v === 4 && t.cmd === 'unsuback' ? [] : [...(t.granted as number[])] });
    case 'unsubscribe':
      return withProps({ type: 'unsubscribe' as const, packetId: t.messageId as number, filters: t.unsubscriptions as string[] });
    case 'pingreq':
    case 'pingresp':
      return { type: t.cmd };
    case 'disconnect':
    case 'auth':
      return v === 4 ? { type: t.cmd } : withProps({ type: t.cmd, reasonCode: (t.reasonCode as number | undefined) ?? 0 });
    default:
      throw new Error(`unexpected mqtt-packet cmd ${String(t.cmd)}`);
  }
}

/** Our packet as mqtt-packet can represent it: user properties grouped by name. */
export function comparable(p: Packet): Packet {
  const fix = (props: Properties | undefined): Properties | undefined =>
    props?.userProperties ? { ...props, userProperties: groupUserProperties(props.userProperties) } : props;
  const out = { ...p } as Packet & { properties?: Properties };
  if ('properties' in p && p.properties) out.properties = fix(p.properties)!;
  if (out.type === 'connect' && out.will?.properties) out.will = { ...out.will, properties: fix(out.will.properties)! };
  return out;
}
