/**
 * What a broker must do with a byte stream, predicted by decoding it with our own `PacketDecoder` (the
 * reference for malformed input) and walking the packets with the broker-level rules a decoder cannot see
 * (second CONNECT, packets only a server sends, topic aliases, DISCONNECT semantics).
 */
import { PacketDecoder, type ConnectPacket, type Packet } from '../../packages/core/src/codec/index.ts';
import { MqttError } from '../../packages/core/src/errors.ts';

export type Prediction =
  /** The stream is fine: the PINGREQ appended to it is answered and the connection stays open. */
  | { kind: 'pingresp' }
  /** Closed with this 5.0 DISCONNECT reason (3.1.1: closed, no DISCONNECT). */
  | { kind: 'disconnect'; reasonCode: number; why: string }
  /** The client's own DISCONNECT: closed, and the server sends no DISCONNECT. */
  | { kind: 'client-disconnect' }
  /** Refused at CONNECT: closed, with nothing or a refusing CONNACK before. */
  | { kind: 'refused'; why: string }
  /** The stream ends inside a packet (or in a state timing decides): only the codes that come are checked. */
  | { kind: 'indeterminate'; why: string };

export interface Oracle {
  prediction: Prediction;
  connect: ConnectPacket | undefined;
  /** Bytes of the leading CONNECT when it decodes, so it can be sent (and answered) on its own. */
  connectLength: number;
}

/** Topic alias maximum the broker under test grants (mqttkit and mosquitto default: 10). */
const TOPIC_ALIAS_MAXIMUM = 10;

/** Decodes `stream` (which ends with a PINGREQ the caller appended) and predicts the broker's answer. */
export function predict(stream: Uint8Array, maximumPacketSize: number): Oracle {
  // The packets before a malformed one count: a broker handles them first, however TCP cut the stream.
  const { packets, error } = new PacketDecoder({ maximumPacketSize }).tryPush(stream);
  const connect = packets[0]?.type === 'connect' ? packets[0] : undefined;
  return { prediction: walk(packets, connect, error), connect, connectLength: connect ? packetLength(stream) : 0 };
}

/** Size of the packet at the start of `bytes` (fixed header plus remaining length), or all of it when unclear. */
function packetLength(bytes: Uint8Array): number {
  let remaining = 0;
  for (let i = 1, mul = 1; i < 5 && i < bytes.length; i++, mul *= 128) {
    remaining += (bytes[i]! & 127) * mul;
    if (bytes[i]! < 128) return i + 1 + remaining;
  }
  return bytes.length;
}

function walk(packets: Packet[], connect: ConnectPacket | undefined, error: unknown): Prediction {
  if (!connect && error === undefined) return { kind: 'indeterminate', why: 'the CONNECT is not complete' };
  if (!connect) return { kind: 'refused', why: `no valid CONNECT: ${(error as Error).message}` };
  const v5 = connect.protocolVersion === 5;
  const props = connect.properties;
  if (props?.authenticationMethod !== undefined) return { kind: 'refused', why: 'enhanced authentication is not offered' };
  if (!v5 && connect.clientId === '' && !connect.clean) return { kind: 'refused', why: '[MQTT-3.1.3-8] empty client id without clean session' };
  // A tiny maximum packet size or keepalive makes the answer depend on sizes and timing, not on the rules.
  if (props?.maximumPacketSize !== undefined && props.maximumPacketSize < 4096) return { kind: 'indeterminate', why: 'client maximum packet size under 4 KiB' };
  if (connect.keepalive > 0 && connect.keepalive < 10) return { kind: 'indeterminate', why: 'short keepalive' };
  const aliases = new Set<number>();
  const sessionExpiry = props?.sessionExpiryInterval ?? 0;
  for (const packet of packets.slice(1)) {
    switch (packet.type) {
      case 'connect':
        return { kind: 'disconnect', reasonCode: 0x82, why: '[MQTT-3.1.0-2] second CONNECT' };
      case 'connack':
      case 'suback':
      case 'unsuback':
      case 'pingresp':
        return { kind: 'disconnect', reasonCode: 0x82, why: `${packet.type} is a server packet` };
      case 'auth':
        return { kind: 'disconnect', reasonCode: 0x82, why: 'AUTH without an authentication method' };
      case 'disconnect': {
        const expiry = packet.properties?.sessionExpiryInterval;
        if (v5 && sessionExpiry === 0 && expiry !== undefined && expiry !== 0) return { kind: 'disconnect', reasonCode: 0x82, why: '[MQTT-3.14.2-2] session expiry set on DISCONNECT' };
        return { kind: 'client-disconnect' };
      }
      case 'publish': {
        const alias = packet.properties?.topicAlias;
        if (alias === undefined) break;
        if (alias > TOPIC_ALIAS_MAXIMUM) return { kind: 'disconnect', reasonCode: 0x94, why: `topic alias ${alias} above the maximum` };
        if (packet.topic === '' && !aliases.has(alias)) return { kind: 'disconnect', reasonCode: 0x82, why: `topic alias ${alias} never set` };
        aliases.add(alias);
        break;
      }
      case 'pingreq':
        if (packet === packets[packets.length - 1] && error === undefined) return { kind: 'pingresp' };
        break;
      default:
        break;
    }
  }
  if (error instanceof MqttError) return { kind: 'disconnect', reasonCode: error.reasonCode ?? 0x81, why: error.message };
  return { kind: 'indeterminate', why: 'the stream ends inside a packet' };
}
