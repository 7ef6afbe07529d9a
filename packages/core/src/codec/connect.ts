/** CONNECT (type 1): the first packet a client sends; carries the protocol level both sides then speak. */
import { ProtocolError } from '../errors.ts';
import { topicNameProblem, validateTopicName } from '../topics/index.ts';
import type { ConnectPacket, ProtocolVersion, WillMessage } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, type Reader } from './reader.ts';
import { checkBool, checkBytes, checkInt, checkQos, checkString, invalid } from './validate.ts';
import { writer } from './writer.ts';

export function encodeConnect(p: ConnectPacket, v: ProtocolVersion): Uint8Array {
  if (p.protocolVersion !== v) invalid('protocolVersion', `is ${String(p.protocolVersion)} but the packet is encoded at level ${v}`);
  checkString(p.clientId, 'clientId');
  checkBool(p.clean, 'clean');
  checkInt(p.keepalive, 'keepalive', 0, 65_535);
  if (p.username !== undefined) checkString(p.username, 'username');
  if (p.password !== undefined) {
    checkBytes(p.password, 'password');
    if (v === 4 && p.username === undefined) invalid('password', 'needs a username at MQTT 3.1.1 [MQTT-3.1.2-22]');
  }
  const will = p.will;
  if (will) {
    validateTopicName(will.topic, 'will.topic');
    checkBytes(will.payload, 'will.payload');
    checkQos(will.qos, 'will.qos');
    checkBool(will.retain, 'will.retain');
    checkProperties(will.properties, 'will', v, 'will.properties');
  }
  checkProperties(p.properties, 'connect', v);

  const w = writer.begin();
  w.str('MQTT');
  w.u8(v);
  let flags = p.clean ? 0x02 : 0;
  if (will) flags |= 0x04 | (will.qos << 3) | (will.retain ? 0x20 : 0);
  if (p.password !== undefined) flags |= 0x40;
  if (p.username !== undefined) flags |= 0x80;
  w.u8(flags);
  w.u16(p.keepalive);
  if (v === 5) writeProperties(w, p.properties);
  w.str(p.clientId);
  if (will) {
    if (v === 5) writeProperties(w, will.properties);
    w.str(will.topic);
    w.bin(will.payload);
  }
  if (p.username !== undefined) w.str(p.username);
  if (p.password !== undefined) w.bin(p.password);
  return w.finish(0x10);
}

export function readConnect(r: Reader): ConnectPacket {
  if (r.str() !== 'MQTT') throw new ProtocolError('Unsupported protocol: the protocol name is not "MQTT"', 0x84);
  const v = r.u8();
  if (v !== 4 && v !== 5) throw new ProtocolError(`Unsupported protocol level ${v}: mqttkit speaks 4 (3.1.1) and 5 (5.0)`, 0x84);
  const flags = r.u8();
  if (flags & 0x01) malformed('reserved CONNECT flag is set [MQTT-3.1.2-3]');
  const willQos = (flags >> 3) & 3;
  if (!(flags & 0x04) && flags & 0x38) malformed('will QoS or retain set without a will [MQTT-3.1.2-13]');
  if (willQos === 3) malformed('will QoS 3 [MQTT-3.1.2-14]');
  if (v === 4 && flags & 0x40 && !(flags & 0x80)) malformed('password without user name [MQTT-3.1.2-22]');
  const packet: ConnectPacket = { type: 'connect', protocolVersion: v, clientId: '', clean: !!(flags & 0x02), keepalive: r.u16() };
  const props = v === 5 ? readProperties(r, 'connect') : undefined;
  if (props) packet.properties = props;
  packet.clientId = r.str();
  if (flags & 0x04) {
    const willProps = v === 5 ? readProperties(r, 'will') : undefined;
    const topic = r.str();
    if (topicNameProblem(topic)) malformed('will topic is not a valid topic name');
    const will: WillMessage = { topic, payload: r.bin(), qos: willQos as 0 | 1 | 2, retain: !!(flags & 0x20) };
    if (willProps) will.properties = willProps;
    packet.will = will;
  }
  if (flags & 0x80) packet.username = r.str();
  if (flags & 0x40) packet.password = r.bin();
  return packet;
}

