/**
 * Valid-but-wrong sequences and hand-made malformed packets, as byte fixtures named by the spec statement they
 * break, with what the spec says the server does. Run against our broker and Debian mosquitto alike.
 */
import { encode, type Packet, type ProtocolVersion } from '../../packages/core/src/codec/index.ts';
import { hex } from '../../packages/core/test/codec/helpers.ts';
import { RawMqtt } from '../support/raw-mqtt.ts';

export type Expect =
  /** 5.0: DISCONNECT with this reason code, then the close. 3.1.1: the close. */
  | { disconnect: number | readonly number[] }
  /** The close with no packet at all before it (no CONNACK). */
  | { silentClose: true }
  /** The close; a 5.0 DISCONNECT before it is optional (the spec's MAY), any reason >= 0x80. */
  | { closed: true }
  /** Closed; any CONNACK before it refuses (5.0 reason >= 0x80, 3.1.1 return code 1-5). */
  | { refused: true }
  /** This packet comes back and the connection stays open (a PINGREQ after it is answered). */
  | { reply: { type: Packet['type']; packetId?: number; reasonCode?: number } };

export interface WrongSequence {
  name: string;
  version: ProtocolVersion;
  /** Connect first (with a clean session) before `bytes`. */
  connected: boolean;
  bytes: () => Uint8Array[];
  expect: Expect;
  /** Only for our broker: depends on a limit mosquitto sets differently. */
  oursOnly?: boolean;
  /**
   * What mosquitto 2.0.11 does where it differs from `expect` (measured; the spec allows it unless noted), or
   * 'accepts' where it lets the packet through and is left out of its run.
   */
  mosquitto?: Expect | 'accepts';
}

const publish = (topic: string, v: ProtocolVersion, extra: Partial<Extract<Packet, { type: 'publish' }>> = {}): Uint8Array =>
  encode({ type: 'publish', topic, payload: new Uint8Array([1]), qos: 0, retain: false, dup: false, ...extra }, v);

export const WRONG_SEQUENCES: WrongSequence[] = [
  { name: '[MQTT-3.1.0-1] PUBLISH before CONNECT: closed without CONNACK', version: 4, connected: false, bytes: () => [publish('a', 4)], expect: { silentClose: true } },
  { name: '[MQTT-3.1.0-1] 5.0 SUBSCRIBE before CONNECT: closed without CONNACK', version: 5, connected: false, bytes: () => [hex('82 07 00 01 00 00 01 61 00')], expect: { silentClose: true } },
  { name: '[MQTT-3.1.0-2] second CONNECT: 5.0 DISCONNECT 0x82', version: 5, connected: true, bytes: () => [encode({ type: 'connect', protocolVersion: 5, clientId: 'again', clean: true, keepalive: 0 }, 5)], expect: { disconnect: 0x82 }, mosquitto: { closed: true } },
  { name: '[MQTT-3.1.0-2] second CONNECT: 3.1.1 closed', version: 4, connected: true, bytes: () => [encode({ type: 'connect', protocolVersion: 4, clientId: 'again', clean: true, keepalive: 0 }, 4)], expect: { disconnect: 0x82 } },
  { name: '[MQTT-3.1.2-3] reserved CONNECT flag set: closed without CONNACK', version: 4, connected: false, bytes: () => [hex('10 0f 00 04 4d 51 54 54 04 03 00 00 00 03 61 62 63')], expect: { refused: true } },
  { name: '[MQTT-3.1.2-14] will QoS 3 in CONNECT: closed', version: 5, connected: false, bytes: () => [hex('10 14 00 04 4d 51 54 54 05 1e 00 00 00 00 01 61 00 00 01 62 00 00')], expect: { refused: true } },
  { name: '[MQTT-3.1.2-2] unknown protocol level 7: refused and closed', version: 4, connected: false, bytes: () => [hex('10 0d 00 04 4d 51 54 54 07 02 00 00 00 01 61')], expect: { refused: true } },
  { name: '[MQTT-4.3.3] 5.0 PUBREL for an unknown packet id: PUBCOMP 0x92, connection stays', version: 5, connected: true, bytes: () => [encode({ type: 'pubrel', packetId: 77 }, 5)], expect: { reply: { type: 'pubcomp', packetId: 77, reasonCode: 0x92 } }, mosquitto: { reply: { type: 'pubcomp', packetId: 77, reasonCode: 0 } } },
  { name: '[MQTT-4.3.3] 3.1.1 PUBREL for an unknown packet id: PUBCOMP, connection stays', version: 4, connected: true, bytes: () => [encode({ type: 'pubrel', packetId: 78 }, 4)], expect: { reply: { type: 'pubcomp', packetId: 78 } } },
  { name: '[MQTT-3.8.3-2] 5.0 SUBSCRIBE with no filters: DISCONNECT 0x82', version: 5, connected: true, bytes: () => [hex('82 03 00 01 00')], expect: { disconnect: 0x82 }, mosquitto: { disconnect: 0x81 } },
  { name: '[MQTT-3.8.3-3] 3.1.1 SUBSCRIBE with no filters: closed', version: 4, connected: true, bytes: () => [hex('82 02 00 01')], expect: { disconnect: 0x82 } },
  { name: '[MQTT-3.10.3-2] 3.1.1 UNSUBSCRIBE with no filters: closed', version: 4, connected: true, bytes: () => [hex('a2 02 00 01')], expect: { disconnect: 0x82 } },
  // 0x94 (Topic Alias invalid) names the alias as the fault; mosquitto answers 0x81 instead.
  { name: '[MQTT-3.3.2-8] 5.0 topic alias 0: DISCONNECT 0x94', version: 5, connected: true, bytes: () => [hex('30 07 00 01 61 03 23 00 00')], expect: { disconnect: 0x94 }, mosquitto: { disconnect: 0x81 } },
  { name: '[MQTT-3.2.2-17] 5.0 topic alias above the maximum (11 > 10): DISCONNECT 0x94', version: 5, connected: true, bytes: () => [publish('a', 5, { properties: { topicAlias: 11 } })], expect: { disconnect: 0x94 } },
  { name: '[MQTT-3.3.4] 5.0 empty topic with an alias never set: DISCONNECT 0x82', version: 5, connected: true, bytes: () => [publish('', 5, { properties: { topicAlias: 5 } })], expect: { disconnect: 0x82 } },
  { name: '[MQTT-1.5.4-1] 5.0 topic name that is not UTF-8: DISCONNECT 0x81', version: 5, connected: true, bytes: () => [hex('30 05 00 02 c3 28 00')], expect: { disconnect: 0x81 } },
  { name: '[MQTT-3.3.1-4] 5.0 PUBLISH at QoS 3: DISCONNECT 0x81', version: 5, connected: true, bytes: () => [hex('36 06 00 01 61 00 01 00')], expect: { disconnect: 0x81 } },
  { name: '[MQTT-3.3.1-2] 5.0 DUP set at QoS 0: DISCONNECT 0x81', version: 5, connected: true, bytes: () => [hex('38 04 00 01 61 00')], expect: { disconnect: 0x81 }, mosquitto: 'accepts' },
  { name: '[MQTT-3.8.1-1] 5.0 SUBSCRIBE with reserved header flags 0000: DISCONNECT 0x81', version: 5, connected: true, bytes: () => [hex('80 07 00 01 00 00 01 61 00')], expect: { disconnect: 0x81 } },
  { name: '[MQTT-3.8.3-5] 5.0 SUBSCRIBE with retain handling 3: DISCONNECT 0x82', version: 5, connected: true, bytes: () => [hex('82 07 00 01 00 00 01 61 30')], expect: { disconnect: [0x81, 0x82] } },
  { name: '[MQTT-3.8.3-4] 5.0 no local on a shared subscription: DISCONNECT 0x82', version: 5, connected: true, bytes: () => [hex('82 10 00 01 00 00 0a 24 73 68 61 72 65 2f 67 2f 61 04')], expect: { disconnect: 0x82 }, mosquitto: 'accepts' },
  { name: '[MQTT-2.2.2-2] 5.0 session expiry (a CONNECT property) in PUBLISH: DISCONNECT 0x81', version: 5, connected: true, bytes: () => [hex('30 0a 00 01 61 05 11 00 00 00 01 00')], expect: { disconnect: 0x81 } },
  { name: '[MQTT-3.3.2] 5.0 message expiry twice in PUBLISH: DISCONNECT 0x82', version: 5, connected: true, bytes: () => [hex('30 0e 00 01 61 0a 02 00 00 00 01 02 00 00 00 01')], expect: { disconnect: 0x82 }, mosquitto: { closed: true } },
  { name: '[MQTT-3.2.0] 5.0 CONNACK sent by a client: DISCONNECT 0x82', version: 5, connected: true, bytes: () => [hex('20 03 00 00 00')], expect: { disconnect: 0x82 }, mosquitto: { closed: true } },
  { name: '[MQTT-4.12.0-1] 5.0 AUTH without an authentication method in CONNECT: DISCONNECT 0x82', version: 5, connected: true, bytes: () => [hex('f0 00')], expect: { disconnect: 0x82 }, mosquitto: { closed: true } },
  { name: '[MQTT-3.14.2-2] 5.0 DISCONNECT setting session expiry when CONNECT had 0: DISCONNECT 0x82', version: 5, connected: true, bytes: () => [hex('e0 07 00 05 11 00 00 00 0a')], expect: { disconnect: 0x82 } },
  { name: '[MQTT-2.2.1-3] 5.0 QoS 1 PUBLISH with packet id 0: DISCONNECT 0x81 or 0x82', version: 5, connected: true, bytes: () => [hex('32 06 00 01 61 00 00 00')], expect: { disconnect: [0x81, 0x82] } },
  { name: '[MQTT-4.13.1] 5.0 remaining length of 2 MiB over the 1 MiB maximum: DISCONNECT 0x95 from the header alone', version: 5, connected: true, bytes: () => [hex('30 80 80 80 01')], expect: { disconnect: 0x95 } },
  { name: '[MQTT-1.5.5-1] 5.0 remaining length in 5 bytes: DISCONNECT 0x81', version: 5, connected: true, bytes: () => [hex('30 ff ff ff ff 01')], expect: { disconnect: [0x81, 0x95] }, mosquitto: { closed: true } },
  {
    name: '[MQTT-3.3.4-9] 5.0 more QoS 2 PUBLISH awaiting PUBREL than the receive maximum (100): DISCONNECT 0x93',
    version: 5,
    connected: true,
    oursOnly: true,
    bytes: () => Array.from({ length: 101 }, (_, i) => encode({ type: 'publish', topic: 'rm', payload: new Uint8Array(1), qos: 2, retain: false, dup: false, packetId: i + 1 }, 5)),
    expect: { disconnect: 0x93 },
  },
];

export interface Observed {
  /** Types (and codes) of every packet received after the CONNACK, e.g. `disconnect 0x94`. */
  packets: string[];
  closed: boolean;
}

const describePacket = (p: Packet): string => {
  const code = 'reasonCode' in p && p.reasonCode !== undefined ? ` 0x${(p.reasonCode as number).toString(16)}` : '';
  return `${p.type}${'packetId' in p ? ` #${p.packetId}` : ''}${code}`;
};

let counter = 0;

/** Runs one sequence against a broker on `port`; throws with what happened when the expectation fails. */
export async function runWrongSequence(port: number, seq: WrongSequence, expect: Expect = seq.expect): Promise<Observed> {
  let client: RawMqtt;
  if (seq.connected) {
    const connected = await RawMqtt.connect(port, { protocolVersion: seq.version, clientId: `wrong-${process.pid}-${counter++}` });
    if (connected.connack.reasonCode !== 0) throw new Error(`CONNECT refused: ${connected.connack.reasonCode}`);
    client = connected.client;
  } else {
    client = await RawMqtt.open(port);
    client.version = seq.version;
  }
  const start = client.received.length;
  try {
    for (const bytes of seq.bytes()) client.write(bytes);
    if ('reply' in expect) {
      await client.next(expect.reply.type);
      client.send({ type: 'pingreq' });
      await client.next('pingresp');
    } else {
      await client.waitClosed();
    }
    return { packets: client.received.slice(start).map(describePacket), closed: client.isClosed };
  } finally {
    client.destroy();
  }
}

/** Whether what happened is what the spec asks; returns the problem, or undefined. */
export function judge(seq: WrongSequence, seen: Observed, e: Expect = seq.expect): string | undefined {
  const got = `${seen.packets.join(', ') || 'nothing'}${seen.closed ? ', then closed' : ''}`;
  if ('closed' in e) return seen.closed && seen.packets.every((p) => /^disconnect 0x[89a-f]/.test(p)) ? undefined : `expected the close, got ${got}`;
  if ('silentClose' in e) return seen.closed && seen.packets.length === 0 ? undefined : `expected a close with no reply, got ${got}`;
  if ('refused' in e) {
    return seen.closed && seen.packets.every((p) => /^connack 0x[1-9a-f]/.test(p)) ? undefined : `expected a refusal and a close, got ${got}`;
  }
  if ('reply' in e) {
    const want = describePacket(e.reply as Packet);
    return seen.packets.includes(want) && !seen.closed ? undefined : `expected ${want} with the connection open, got ${got}`;
  }
  const codes = typeof e.disconnect === 'number' ? [e.disconnect] : e.disconnect;
  if (!seen.closed) return `expected the close, got ${got}`;
  if (seq.version === 4) return seen.packets.length === 0 ? undefined : `expected a bare close at 3.1.1, got ${got}`;
  const disconnect = seen.packets.find((p) => p.startsWith('disconnect'));
  return disconnect !== undefined && codes.some((c) => disconnect === `disconnect 0x${c.toString(16)}`) ? undefined : `expected DISCONNECT ${codes.map((c) => `0x${c.toString(16)}`).join(' or ')}, got ${got}`;
}
