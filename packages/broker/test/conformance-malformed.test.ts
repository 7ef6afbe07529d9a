/**
 * A CONNECT or SUBSCRIBE the spec calls malformed or a protocol error ends the connection; a malformed filter is
 * not answered with a SUBACK failure code (5.0 0x8F is for a well-formed filter the server will not allow). The
 * spec lets a server close with or without a DISCONNECT (or CONNACK), so these run against our broker and Debian
 * mosquitto and expect what mosquitto does: after CONNACK, 5.0 DISCONNECT 0x81 (0x82 for no local on a shared
 * subscription) and a bare close at 3.1.1; a malformed 3.1.1 CONNECT is closed without CONNACK.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtocolVersion } from '@mqttkit/core';
import { RawMqtt } from '../../../test/support/raw-mqtt.ts';
import { startMosquitto, type Mosquitto } from '../../../test/support/mosquitto.ts';
import { createBroker, type MqttBroker } from '../src/create-broker.ts';
import { createLogger } from '../src/log.ts';

/** SUBSCRIBE bytes built by hand: our encoder refuses the malformed filters and options these tests send. */
function rawSubscribe(version: ProtocolVersion, packetId: number, subscriptions: [filter: string, options: number][]): Uint8Array {
  const body: number[] = [packetId >> 8, packetId & 0xff];
  if (version === 5) body.push(0); // no properties
  for (const [filter, options] of subscriptions) {
    const bytes = new TextEncoder().encode(filter);
    body.push(bytes.length >> 8, bytes.length & 0xff, ...bytes, options);
  }
  if (body.length > 127) throw new Error('rawSubscribe writes a one-byte remaining length');
  return Uint8Array.from([0x82, body.length, ...body]);
}

const NO_LOCAL = 0b100;

/** A 3.1.1 CONNECT (client id "a", keepalive 60) with these connect flags and this payload after the client id. */
function rawConnectV4(flags: number, rest: number[] = []): Uint8Array {
  const body = [0, 4, 0x4d, 0x51, 0x54, 0x54, 4, flags, 0, 60, 0, 1, 0x61, ...rest];
  return Uint8Array.from([0x10, body.length, ...body]);
}

interface Case {
  id: string;
  what: string;
  version: ProtocolVersion;
  /** Sent after a CONNECT that was accepted. */
  subscriptions: [string, number][];
  /** The 5.0 DISCONNECT reason code; undefined for 3.1.1 (a close without a packet). */
  reasonCode: number | undefined;
  /** Where mosquitto 2.0 breaks a MUST, what it does instead (the case then runs against our broker only). */
  mosquittoDiffers?: string;
}

const cases: Case[] = [
  { id: 'MQTT-4.7.1-1', what: '5.0: # not last in a filter', version: 5, subscriptions: [['ok/1', 1], ['a/#/b', 1]], reasonCode: 0x81 },
  { id: 'MQTT-4.7.1-2', what: '3.1.1 (its numbering): # not last in a filter', version: 4, subscriptions: [['ok/1', 1], ['a/#/b', 1]], reasonCode: undefined },
  { id: 'MQTT-4.7.1-2', what: '5.0: + sharing a level', version: 5, subscriptions: [['sport+', 0]], reasonCode: 0x81 },
  { id: 'MQTT-4.8.2-2', what: '5.0: a share name with +', version: 5, subscriptions: [['$share/g+/t', 0]], reasonCode: 0x81 },
  { id: 'MQTT-3.8.3-4', what: '5.0: no local on a shared subscription', version: 5, subscriptions: [['plain', 0], ['$share/g/t', NO_LOCAL]], reasonCode: 0x82, mosquittoDiffers: 'SUBACK 0x00' },
  { id: 'MQTT-3.8.3-5', what: '3.1.1: a reserved subscription option bit set', version: 4, subscriptions: [['t', NO_LOCAL]], reasonCode: undefined },
];

let ours: MqttBroker;
let mosquitto: Mosquitto;

beforeAll(async () => {
  [ours, mosquitto] = await Promise.all([createBroker({ port: 0, wsPort: 0, logger: createLogger('silent'), sysInterval: 0 }), startMosquitto()]);
});

afterAll(async () => {
  await Promise.all([ours?.close(), mosquitto?.stop()]);
});

const connects: { id: string; what: string; bytes: Uint8Array }[] = [
  { id: 'MQTT-3.1.2-3', what: 'the reserved connect flag set', bytes: rawConnectV4(0x03) },
  { id: 'MQTT-3.1.2-13', what: 'will QoS 1 without the will flag', bytes: rawConnectV4(0x0a) },
  { id: 'MQTT-3.1.2-14', what: 'will QoS 3', bytes: rawConnectV4(0x1e, [0, 1, 0x74, 0, 1, 0x78]) },
  { id: 'MQTT-3.1.2-22', what: 'a password without a user name', bytes: rawConnectV4(0x42, [0, 1, 0x70]) },
];

describe.each([
  { broker: 'mqttkit', port: () => ours.ports.tcp! },
  { broker: 'mosquitto', port: () => mosquitto.tcpPort },
])('conformance: a malformed 3.1.1 CONNECT is closed without CONNACK ($broker)', ({ port }) => {
  it.each(connects)('[$id] $what', async ({ bytes }) => {
    const client = await RawMqtt.open(port());
    client.setVersion(4);
    client.write(bytes);
    await client.waitClosed(5000);
    expect(client.received).toEqual([]);
  });
});

describe.each([
  { broker: 'mqttkit', port: () => ours.ports.tcp!, cases },
  { broker: 'mosquitto', port: () => mosquitto.tcpPort, cases: cases.filter((c) => c.mosquittoDiffers === undefined) },
])('conformance: a malformed SUBSCRIBE closes the connection ($broker)', ({ port, cases }) => {
  it.each(cases)('[$id] $what', async ({ version, subscriptions, reasonCode }) => {
    const { client } = await RawMqtt.connect(port(), { clientId: `malformed-${version}-${Math.random().toString(36).slice(2, 8)}`, protocolVersion: version });
    client.write(rawSubscribe(version, 1, subscriptions));
    await client.waitClosed(5000);
    const answers = client.received.slice(1).map((packet) => (packet.type === 'disconnect' ? `disconnect ${packet.reasonCode ?? 0}` : packet.type));
    expect(answers).toEqual(reasonCode === undefined ? [] : [`disconnect ${reasonCode}`]);
  });
});
