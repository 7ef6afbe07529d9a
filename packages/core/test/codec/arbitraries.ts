/**
 * fast-check generators of valid packets, per type and protocol level, in the canonical form the decoder
 * returns: `decode(encode(p, v), v)` deep-equals `p`. (At 5.0 the reason code of acks, DISCONNECT and AUTH is
 * always present, subscription options are all present, and `properties` is either absent or non-empty.)
 */
import fc from 'fast-check';
import type { Packet, Properties, ProtocolVersion, QoS, Subscription, UserProperty } from '../../src/codec/index.ts';
import { PROPERTIES } from '../../src/codec/index.ts';

/** Strings MQTT can carry: any well-formed Unicode without U+0000, kept short. */
export const mqttString = (maxLength = 12): fc.Arbitrary<string> =>
  fc.string({ unit: 'grapheme', maxLength }).filter((s) => !s.includes('\0'));

const level = fc.oneof(fc.constantFrom('a', 'b', 'sensors', 'é', '$SYS', ''), fc.stringMatching(/^[a-z0-9]{1,6}$/));

/** Valid topic names: levels without wildcards, at least one character. */
export const topicName = fc.array(level, { minLength: 1, maxLength: 4 }).map((levels) => levels.join('/')).filter((t) => t.length > 0);

/** Valid topic filters: levels that may be `+`, optionally ending in `#`. */
export const topicFilter = fc
  .tuple(fc.array(fc.oneof(level, fc.constant('+')), { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'))
  .filter((f) => f.length > 0);

export const bytes = (maxLength = 16): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength });
export const packetId = fc.integer({ min: 1, max: 65_535 });
export const qos = fc.constantFrom<QoS>(0, 1, 2);
/** The reason codes MQTT 5.0 lists for each packet (§3.x.2.1); mqtt-packet refuses others. */
export const REASON_CODES = {
  connack: [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f],
  puback: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  pubrel: [0x00, 0x92],
  suback: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2],
  unsuback: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91],
  disconnect: [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2],
  auth: [0x00, 0x18, 0x19],
};
const reasonCode = (packet: keyof typeof REASON_CODES): fc.Arbitrary<number> => fc.constantFrom(...REASON_CODES[packet]);

// Values are non-empty: mqtt-packet's parser loses a repeated user property whose first value is ''.
const userProperties = fc.array(
  fc.tuple(mqttString(6), mqttString(6).filter((s) => s.length > 0)).map((p): UserProperty => p),
  { minLength: 1, maxLength: 3 },
);

/** A value for every property type, respecting the protocol's ranges. */
function propertyValue(name: keyof Properties, type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'byte':
      return fc.constantFrom(0, 1);
    case 'uint16':
      return fc.integer({ min: name === 'receiveMaximum' || name === 'topicAlias' ? 1 : 0, max: 65_535 });
    case 'uint32':
      return fc.integer({ min: name === 'maximumPacketSize' ? 1 : 0, max: 4_294_967_295 });
    case 'varint':
      return fc.array(fc.integer({ min: 1, max: 268_435_455 }), { minLength: 1, maxLength: 1 });
    case 'string':
      return name === 'responseTopic' ? topicName : mqttString();
    case 'binary':
      return bytes(8);
    default:
      return userProperties;
  }
}

/** Properties allowed in packet type number `type` (0 = will), or none. */
export function properties(type: number, v: ProtocolVersion): fc.Arbitrary<Properties | undefined> {
  if (v === 4) return fc.constant(undefined);
  const rows = PROPERTIES.filter((row) => row.allowedIn & (1 << type));
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const row of rows) record[row.name] = propertyValue(row.name, row.type);
  return fc.option(
    fc.record(record, { requiredKeys: [] }).filter((p) => Object.keys(p).length > 0) as fc.Arbitrary<Properties>,
    { nil: undefined },
  );
}

/** Drops `properties: undefined` so generated packets match decoded ones key for key. */
function withProps<T extends object>(packet: T, props: Properties | undefined): T {
  return props ? { ...packet, properties: props } : packet;
}

const connect = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  fc
    .record({
      clientId: mqttString(),
      clean: fc.boolean(),
      keepalive: fc.integer({ min: 0, max: 65_535 }),
      username: fc.option(mqttString(), { nil: undefined }),
      password: fc.option(bytes(), { nil: undefined }),
      will: fc.option(
        fc.record({ topic: topicName, payload: bytes(), qos, retain: fc.boolean(), properties: properties(0, v) }),
        { nil: undefined },
      ),
      properties: properties(1, v),
    })
    .map(({ username, password, will, properties: props, ...rest }) => {
      const packet: Packet = { type: 'connect', protocolVersion: v, ...rest };
      if (will) packet.will = withProps({ topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain }, will.properties);
      if (username !== undefined) packet.username = username;
      // 3.1.1 allows a password only with a user name [MQTT-3.1.2-22].
      if (password !== undefined && (v === 5 || username !== undefined)) packet.password = password;
      return withProps(packet, props);
    });

const connack = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  fc
    .record({ sessionPresent: fc.boolean(), reasonCode: v === 4 ? fc.integer({ min: 0, max: 5 }) : reasonCode('connack'), properties: properties(2, v) })
    .map(({ properties: props, ...rest }) => withProps({ type: 'connack' as const, ...rest }, props));

const publish = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  fc
    .record({ topic: topicName, payload: fc.oneof(bytes(), bytes(200)), qos, retain: fc.boolean(), dup: fc.boolean(), packetId, properties: properties(3, v) })
    .map(({ packetId: id, properties: props, ...rest }) => {
      const packet: Packet = { type: 'publish', ...rest, dup: rest.qos > 0 && rest.dup };
      if (rest.qos > 0) packet.packetId = id;
      return withProps(packet, props);
    });

const ack = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  fc
    .record({ type: fc.constantFrom('puback', 'pubrec', 'pubrel', 'pubcomp'), packetId, code: fc.nat(), properties: properties(4, v) })
    .map(({ code, ...rest }) => {
      const codes = rest.type === 'puback' || rest.type === 'pubrec' ? REASON_CODES.puback : REASON_CODES.pubrel;
      return { ...rest, reasonCode: codes[code % codes.length]! };
    })
    .map(({ type, packetId: id, reasonCode: code, properties: props }) =>
      v === 4 ? { type, packetId: id } : withProps({ type, packetId: id, reasonCode: code }, props),
    );

const subscription = (v: ProtocolVersion): fc.Arbitrary<Subscription> =>
  v === 4
    ? fc.record({ filter: topicFilter, qos })
    : fc.record({ filter: topicFilter, qos, noLocal: fc.boolean(), retainAsPublished: fc.boolean(), retainHandling: fc.constantFrom<0 | 1 | 2>(0, 1, 2) });

const subscribe = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  fc
    .record({ packetId, subscriptions: fc.array(subscription(v), { minLength: 1, maxLength: 4 }), properties: properties(8, v) })
    .map(({ properties: props, ...rest }) => withProps({ type: 'subscribe' as const, ...rest }, props));

const suback = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  fc
    .record({
      packetId,
      reasonCodes: fc.array(v === 4 ? fc.constantFrom(0, 1, 2, 0x80) : reasonCode('suback'), { minLength: 1, maxLength: 4 }),
      properties: properties(9, v),
    })
    .map(({ properties: props, ...rest }) => withProps({ type: 'suback' as const, ...rest }, props));

const unsubscribe = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  fc
    .record({ packetId, filters: fc.array(topicFilter, { minLength: 1, maxLength: 4 }), properties: properties(10, v) })
    .map(({ properties: props, ...rest }) => withProps({ type: 'unsubscribe' as const, ...rest }, props));

const unsuback = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  fc
    .record({ packetId, reasonCodes: fc.array(reasonCode('unsuback'), { minLength: 1, maxLength: 4 }), properties: properties(11, v) })
    .map(({ packetId: id, reasonCodes, properties: props }) =>
      v === 4 ? { type: 'unsuback' as const, packetId: id, reasonCodes: [] } : withProps({ type: 'unsuback' as const, packetId: id, reasonCodes }, props),
    );

const ping: fc.Arbitrary<Packet> = fc.constantFrom<Packet>({ type: 'pingreq' }, { type: 'pingresp' });

const disconnect = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  v === 4
    ? fc.constant<Packet>({ type: 'disconnect' })
    : fc.record({ reasonCode: reasonCode('disconnect'), properties: properties(14, v) }).map(({ reasonCode: code, properties: props }) => withProps({ type: 'disconnect' as const, reasonCode: code }, props));

const auth: fc.Arbitrary<Packet> = fc
  .record({ reasonCode: reasonCode('auth'), properties: properties(15, 5) })
  .map(({ reasonCode: code, properties: props }) => withProps({ type: 'auth' as const, reasonCode: code }, props));

/** One generator per packet type valid at `v` (AUTH only at 5.0). */
export function packetsByType(v: ProtocolVersion): Record<string, fc.Arbitrary<Packet>> {
  const all: Record<string, fc.Arbitrary<Packet>> = {
    connect: connect(v),
    connack: connack(v),
    publish: publish(v),
    'puback/pubrec/pubrel/pubcomp': ack(v),
    subscribe: subscribe(v),
    suback: suback(v),
    unsubscribe: unsubscribe(v),
    unsuback: unsuback(v),
    'pingreq/pingresp': ping,
    disconnect: disconnect(v),
  };
  if (v === 5) all.auth = auth;
  return all;
}

/** Any valid packet at `v`. */
export const anyPacket = (v: ProtocolVersion): fc.Arbitrary<Packet> => fc.oneof(...Object.values(packetsByType(v)));
