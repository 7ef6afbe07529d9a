/** CONNECT (type 1): the first packet a client sends; carries the protocol level both sides then speak. */
import type { ConnectPacket, ProtocolVersion, QoS } from './packets.ts';
import { readProperties, writeProperties } from './properties.ts';
import { isTopicName, writeTopic } from './publish.ts';
import * as r from './reader.ts';
import { malformed, protocolError } from './reader.ts';
import { bool, int, invalid } from './validate.ts';
import * as w from './writer.ts';

export function encodeConnect(p: ConnectPacket, v: ProtocolVersion): Uint8Array {
  const { will, username, password } = p;
  const hasUsername = username !== undefined;
  const hasPassword = password !== undefined;
  if (p.protocolVersion !== v) invalid('protocolVersion', 'must equal the version');
  if (v === 4 && hasPassword && !hasUsername) invalid('password', 'needs a username at 3.1.1');
  w.begin();
  w.str('MQTT', '');
  w.u8(v);
  w.u8(
    (+bool(p.clean, 'clean') << 1) |
      (will ? 4 | (int(will.qos, 'will.qos', 0, 2) << 3) | (+bool(will.retain, 'will.retain') << 5) : 0) |
      (+hasPassword << 6) |
      (+hasUsername << 7),
  );
  w.u16(int(p.keepalive, 'keepalive', 0, 65_535));
  writeProperties(p.properties, 1, v);
  w.str(p.clientId, 'clientId');
  if (will) {
    writeProperties(will.properties, 0, v, 'will.properties');
    writeTopic(will.topic, 'will.topic');
    w.bin(will.payload, 'will.payload');
  }
  if (hasUsername) w.str(username, 'username');
  if (hasPassword) w.bin(password, 'password');
  return w.finish(0x10);
}

export function readConnect(): ConnectPacket {
  const name = r.str();
  const v = r.u8();
  if (name !== 'MQTT' || (v !== 4 && v !== 5)) protocolError(`unsupported protocol ${name} ${v}`, 0x84);
  const flags = r.u8();
  // Reserved flag [MQTT-3.1.2-3]; will QoS/retain without a will [MQTT-3.1.2-13]; will QoS 3 [MQTT-3.1.2-14];
  // 3.1.1 password without user name [MQTT-3.1.2-22].
  if (flags & 1 || (flags & 0x1c) === 0x1c || (!(flags & 4) && flags & 0x38) || (v === 4 && (flags & 0xc0) === 0x40)) malformed('CONNECT flags');
  const packet: ConnectPacket = { type: 'connect', protocolVersion: v, clientId: '', clean: (flags & 2) > 0, keepalive: r.u16() };
  readProperties(packet, 1, v);
  packet.clientId = r.str();
  if (flags & 4) {
    const willProps = readProperties({}, 0, v);
    const topic = r.str();
    if (!isTopicName(topic)) malformed('topic name');
    packet.will = { topic, payload: r.bin(), qos: ((flags >> 3) & 3) as QoS, retain: (flags & 0x20) > 0 };
    if (willProps) packet.will.properties = willProps;
  }
  if (flags & 0x80) packet.username = r.str();
  if (flags & 0x40) packet.password = r.bin();
  return packet;
}
