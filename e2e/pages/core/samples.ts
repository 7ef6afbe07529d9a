/**
 * One packet of every type per protocol version, shared by the browser page and the Node side of the test so
 * both encode the same input and their bytes and decoded packets can be compared.
 */
import type { Packet, ProtocolVersion } from '@mqttkit/core';

const bytes = (...values: number[]) => Uint8Array.from(values);

/** Every control packet type valid at `version` (AUTH only at 5), with 5.0 properties where they apply. */
export function samplePackets(version: ProtocolVersion): Packet[] {
  const v5 = version === 5;
  const packets: Packet[] = [
    {
      type: 'connect',
      protocolVersion: version,
      clientId: 'browser-€',
      clean: true,
      keepalive: 30,
      username: 'alice',
      password: bytes(1, 2, 3),
      will: {
        topic: 'status/browser',
        payload: bytes(0x6f, 0x66, 0x66),
        qos: 1,
        retain: true,
        ...(v5 ? { properties: { willDelayInterval: 5, contentType: 'text/plain' } } : {}),
      },
      ...(v5 ? { properties: { sessionExpiryInterval: 60, receiveMaximum: 20, userProperties: [['a', '1'], ['a', '2']] } } : {}),
    },
    { type: 'connack', sessionPresent: true, reasonCode: 0, ...(v5 ? { properties: { topicAliasMaximum: 10 } } : {}) },
    {
      type: 'publish',
      topic: 'home/lamp/€',
      payload: bytes(0, 1, 2, 255),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 7,
      ...(v5 ? { properties: { messageExpiryInterval: 60, correlationData: bytes(9, 9), subscriptionIdentifier: [3] } } : {}),
    },
    { type: 'puback', packetId: 7, ...(v5 ? { reasonCode: 0x10, properties: { reasonString: 'no subscribers' } } : {}) },
    { type: 'pubrec', packetId: 8 },
    { type: 'pubrel', packetId: 8 },
    { type: 'pubcomp', packetId: 8 },
    {
      type: 'subscribe',
      packetId: 9,
      subscriptions: [
        { filter: 'home/+/state', qos: 1 },
        { filter: 'alerts/#', qos: 2, ...(v5 ? { noLocal: true, retainAsPublished: true, retainHandling: 2 as const } : {}) },
      ],
      ...(v5 ? { properties: { subscriptionIdentifier: [3] } } : {}),
    },
    { type: 'suback', packetId: 9, reasonCodes: [1, 0x80] },
    { type: 'unsubscribe', packetId: 10, filters: ['home/+/state', 'alerts/#'] },
    { type: 'unsuback', packetId: 10, reasonCodes: v5 ? [0, 0x11] : [] },
    { type: 'pingreq' },
    { type: 'pingresp' },
    { type: 'disconnect', ...(v5 ? { reasonCode: 0x04, properties: { sessionExpiryInterval: 0 } } : {}) },
  ];
  if (v5) packets.push({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1', authenticationData: bytes(1, 2) } });
  return packets;
}

/** JSON-safe form of a packet (byte arrays become hex) so the page can hand it to the test for comparison. */
export function toPlain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { hex: toHex(value) };
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toPlain(inner)]));
  }
  return value;
}

export function toHex(data: Uint8Array): string {
  return Array.from(data, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}
