/** CONNECT (type 1): the first packet a client sends; carries the protocol level both sides then speak. */
import { ProtocolError } from '../errors.ts';
import { topicNameProblem, validateTopicName } from '../topics/index.ts';
import type { ConnectPacket, ProtocolVersion, QoS } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { checkBool, checkBytes, checkInt, checkQos, checkString, invalid } from './validate.ts';
import { writer } from './writer.ts';

export function encodeConnect(p: ConnectPacket, v: ProtocolVersion): Uint8Array {
  const { will, username, password } = p;
  if (p.protocolVersion !== v) invalid('protocolVersion', `must match the level encoded at, ${v}`);
  checkString(p.clientId, 'clientId');
  checkBool(p.clean, 'clean');
  checkInt(p.keepalive, 'keepalive', 0, 65_535);
  if (username !== undefined) checkString(username, 'username');
  if (password !== undefined) checkBytes(password, 'password');
  if (v === 4 && password && username === undefined) invalid('password', 'needs a username at 3.1.1 [MQTT-3.1.2-22]');
  if (will) {
    validateTopicName(will.topic, 'will.topic');
    checkBytes(will.payload, 'will.payload');
    checkQos(will.qos, 'will.qos');
    checkBool(will.retain, 'will.retain');
    checkProperties(will.properties, 0, v, 'will.properties');
  }
  checkProperties(p.properties, 1, v);

  const w = writer.begin();
  w.str('MQTT');
  w.u8(v);
  w.u8(
    (+p.clean << 1) | (will ? 4 | (will.qos << 3) | (+will.retain << 5) : 0) | (password ? 0x40 : 0) | (username !== undefined ? 0x80 : 0),
  );
  w.u16(p.keepalive);
  if (v === 5) writeProperties(w, p.properties);
  w.str(p.clientId);
  if (will) {
    if (v === 5) writeProperties(w, will.properties);
    w.str(will.topic);
    w.bin(will.payload);
  }
  if (username !== undefined) w.str(username);
  if (password) w.bin(password);
  return w.finish(0x10);
}

export function readConnect(r: Reader): ConnectPacket {
  const name = r.str();
  const v = r.u8();
  if (name !== 'MQTT' || (v !== 4 && v !== 5)) throw new ProtocolError(`Unsupported protocol ${name} level ${v}: use MQTT level 4 or 5`, 0x84);
  const flags = r.u8();
  // Reserved flag [MQTT-3.1.2-3]; will QoS/retain without a will [MQTT-3.1.2-13]; will QoS 3 [MQTT-3.1.2-14];
  // 3.1.1 password without user name [MQTT-3.1.2-22].
  if (flags & 1 || (flags & 0x1c) === 0x1c || (!(flags & 4) && flags & 0x38) || (v === 4 && (flags & 0xc0) === 0x40)) malformed(`CONNECT flags ${flags}`);
  const packet: ConnectPacket = { type: 'connect', protocolVersion: v, clientId: '', clean: (flags & 2) > 0, keepalive: r.u16() };
  const props = v === 5 ? readProperties(r, 1) : undefined;
  if (props) packet.properties = props;
  packet.clientId = r.str();
  if (flags & 4) {
    const willProps = v === 5 ? readProperties(r, 0) : undefined;
    const topic = r.str();
    if (topicNameProblem(topic)) malformed('will topic');
    packet.will = { topic, payload: r.bin(), qos: ((flags >> 3) & 3) as QoS, retain: (flags & 0x20) > 0 };
    if (willProps) packet.will.properties = willProps;
  }
  if (flags & 0x80) packet.username = r.str();
  if (flags & 0x40) packet.password = r.bin();
  return packet;
}
