/**
 * Random valid packets of every type at both protocol levels, as the seeds the decoder fuzzer mutates.
 * Values are drawn to hit edges: empty and long strings, multi-byte UTF-8, a BOM, wildcards, $-topics,
 * every allowed 5.0 property with boundary values.
 */
import { encode, PROPERTIES, type Packet, type PacketType, type Properties, type ProtocolVersion, type QoS } from '../../packages/core/src/codec/index.ts';
import type { Random } from '../support/random.ts';

/** Packet type number per type, as the property table's `allowedIn` bits use them (0 = will properties). */
const TYPE_NUMBER: Record<PacketType, number> = {
  connect: 1, connack: 2, publish: 3, puback: 4, pubrec: 5, pubrel: 6, pubcomp: 7, subscribe: 8, suback: 9,
  unsubscribe: 10, unsuback: 11, pingreq: 12, pingresp: 13, disconnect: 14, auth: 15,
};

export const PACKET_TYPES = Object.keys(TYPE_NUMBER) as PacketType[];

const WORDS = ['a', 'b', 'home', 'sensor', 'temp', '$SYS', 'ü', '日本', '😀', '\uFEFF', ' ', 'x'.repeat(40)];

function text(r: Random, max = 30): string {
  const roll = r.int(10);
  if (roll === 0) return '';
  if (roll === 1) return 'x'.repeat(r.range(100, 2000));
  let s = '';
  const n = r.int(Math.min(max, 6)) + 1;
  for (let i = 0; i < n; i++) s += r.pick(WORDS);
  return s;
}

function topicName(r: Random): string {
  const levels = r.range(1, r.chance(0.05) ? 60 : 5);
  const parts: string[] = [];
  for (let i = 0; i < levels; i++) parts.push(r.chance(0.15) ? '' : r.pick(WORDS));
  const name = parts.join('/');
  return name === '' ? 'a' : name;
}

function topicFilter(r: Random): string {
  const roll = r.int(12);
  if (roll === 0) return '#';
  if (roll === 1) return '+';
  if (roll === 2) return `$share/${r.pick(['g', 'group1'])}/${topicName(r)}`;
  const parts = topicName(r).split('/').map((p) => (r.chance(0.2) ? '+' : p));
  if (r.chance(0.2)) parts.push('#');
  return parts.join('/');
}

function payload(r: Random): Uint8Array {
  const roll = r.int(20);
  return r.bytes(roll === 0 ? r.range(1000, 70_000) : roll < 4 ? 0 : r.int(200));
}

const qos = (r: Random): QoS => r.int(3) as QoS;
const packetId = (r: Random): number => r.pick([1, 65_535, r.range(1, 65_535)]);

function propertyValue(r: Random, id: number, type: string, packetType: number): unknown {
  switch (type) {
    case 'byte':
      return r.int(2);
    case 'uint16':
      return r.pick([1, 65_535, r.range(1, 65_535)]);
    case 'uint32':
      return r.pick([1, 4_294_967_295, r.range(1, 100_000)]);
    case 'varint':
      // Subscription identifiers: one in SUBSCRIBE, one or more in PUBLISH.
      return Array.from({ length: packetType === 8 ? 1 : r.range(1, 3) }, () => r.pick([1, 127, 128, 16_383, 16_384, 268_435_455, r.range(1, 1e6)]));
    case 'string':
      return id === 0x08 ? topicName(r) : text(r);
    case 'binary':
      return r.bytes(r.int(40));
    default:
      return Array.from({ length: r.range(1, 4) }, () => [text(r, 3), text(r, 3)] as const);
  }
}

/** Some of the properties allowed in packet type number `packetType`, or undefined at 3.1.1 or by chance. */
function properties(r: Random, packetType: number, v: ProtocolVersion): Properties | undefined {
  if (v === 4 || r.chance(0.3)) return undefined;
  const props: Record<string, unknown> = {};
  for (const row of PROPERTIES) {
    if (!(row.allowedIn & (1 << packetType)) || !r.chance(0.35)) continue;
    props[row.name] = propertyValue(r, row.id, row.type, packetType);
  }
  return props as Properties;
}

/** Adds `properties` only when defined (exactOptionalPropertyTypes forbids an explicit undefined). */
function withProps<P extends Packet>(packet: P, props: Properties | undefined): P {
  if (props !== undefined) (packet as { properties?: Properties }).properties = props;
  return packet;
}

function reason(r: Random, v: ProtocolVersion): number | undefined {
  if (v === 4 || r.chance(0.4)) return undefined;
  return r.pick([0, 0x10, 0x80, 0x83, 0x87, 0x8d, 0x91, 0x92, 0x97, r.int(256)]);
}

/** One random packet of `type` valid at `v` (not yet checked by `encode`). */
export function randomPacket(r: Random, type: PacketType, v: ProtocolVersion): Packet {
  const n = TYPE_NUMBER[type];
  switch (type) {
    case 'connect': {
      const packet: Packet = { type, protocolVersion: v, clientId: r.chance(0.2) ? '' : text(r), clean: r.chance(0.5), keepalive: r.pick([0, 60, 65_535]) };
      if (r.chance(0.4)) {
        packet.will = { topic: topicName(r), payload: r.bytes(r.int(300)), qos: qos(r), retain: r.chance(0.5) };
        const willProps = properties(r, 0, v);
        if (willProps) packet.will.properties = willProps;
      }
      if (r.chance(0.5)) packet.username = text(r);
      if ((packet.username !== undefined || v === 5) && r.chance(0.5)) packet.password = r.bytes(r.int(30));
      return withProps(packet, properties(r, n, v));
    }
    case 'connack':
      return withProps({ type, sessionPresent: r.chance(0.5), reasonCode: v === 4 ? r.int(6) : r.pick([0, 0x80, 0x86, 0x87, r.int(256)]) }, properties(r, n, v));
    case 'publish': {
      const q = qos(r);
      const props = properties(r, n, v);
      const packet: Packet = { type, topic: topicName(r), payload: payload(r), qos: q, retain: r.chance(0.5), dup: q > 0 && r.chance(0.3) };
      if (q) packet.packetId = packetId(r);
      // 5.0: an empty topic name with a topic alias [MQTT-3.3.2-12].
      if (props?.topicAlias !== undefined && r.chance(0.5)) packet.topic = '';
      return withProps(packet, props);
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
    case 'disconnect':
    case 'auth': {
      const packet = (type === 'disconnect' || type === 'auth' ? { type } : { type, packetId: packetId(r) }) as Packet & { reasonCode?: number };
      const code = reason(r, v);
      if (code !== undefined) packet.reasonCode = code;
      return withProps(packet, properties(r, n, v));
    }
    case 'subscribe':
      return withProps({
        type,
        packetId: packetId(r),
        subscriptions: Array.from({ length: r.range(1, 5) }, () => {
          const filter = topicFilter(r);
          if (v === 4) return { filter, qos: qos(r) };
          return { filter, qos: qos(r), noLocal: !filter.startsWith('$share/') && r.chance(0.3), retainAsPublished: r.chance(0.3), retainHandling: r.int(3) as 0 | 1 | 2 };
        }),
      }, properties(r, n, v));
    case 'suback':
      return withProps({ type, packetId: packetId(r), reasonCodes: Array.from({ length: r.range(1, 5) }, () => (v === 4 ? r.pick([0, 1, 2, 0x80]) : r.pick([0, 1, 2, 0x80, 0x87, 0x8f, 0x9e]))) }, properties(r, n, v));
    case 'unsubscribe':
      return withProps({ type, packetId: packetId(r), filters: Array.from({ length: r.range(1, 5) }, () => topicFilter(r)) }, properties(r, n, v));
    case 'unsuback':
      return withProps({ type, packetId: packetId(r), reasonCodes: v === 4 ? [] : Array.from({ length: r.range(1, 5) }, () => r.pick([0, 0x11, 0x80, 0x87, 0x8f])) }, properties(r, n, v));
    case 'pingreq':
    case 'pingresp':
      return { type };
  }
}

/** Types that exist at `v` (AUTH is 5.0 only). */
export const typesAt = (v: ProtocolVersion): PacketType[] => (v === 4 ? PACKET_TYPES.filter((t) => t !== 'auth') : PACKET_TYPES);

/** A random valid packet at `v`, encoded. Retries the rare draw the encoder refuses, so every result is valid. */
export function randomEncoded(r: Random, v: ProtocolVersion, type: PacketType = r.pick(typesAt(v))): { packet: Packet; bytes: Uint8Array } {
  for (let attempt = 0; ; attempt++) {
    const packet = randomPacket(r, type, v);
    try {
      return { packet, bytes: encode(packet, v) };
    } catch (error) {
      if (attempt === 20) throw error;
    }
  }
}
