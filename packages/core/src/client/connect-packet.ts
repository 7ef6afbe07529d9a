import type { ConnackPacket, ConnectPacket, ProtocolVersion } from '../codec/packets.ts';
import type { ClientOptions, Credentials, ServerCapabilities } from './types.ts';

const encoder = new TextEncoder();

/** Strings become UTF-8; bytes pass through. */
export function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

/** A client id like `mqttkit-k3j9x2c1q8`: letters and digits, short enough for any server [MQTT-3.1.3-5]. */
export function randomClientId(): string {
  return `mqttkit-${Math.random().toString(36).slice(2, 12)}`;
}

/** The CONNECT packet for one attempt. */
export function connectPacket(
  options: ClientOptions,
  version: ProtocolVersion,
  clientId: string,
  clean: boolean,
  credentials: Credentials | undefined,
): ConnectPacket {
  const packet: ConnectPacket = { type: 'connect', protocolVersion: version, clientId, clean, keepalive: options.keepalive ?? 60 };
  const username = credentials?.username ?? options.username;
  const password = credentials?.password ?? options.password;
  if (username !== undefined) packet.username = username;
  if (password !== undefined) packet.password = toBytes(password);
  const will = options.will;
  if (will !== undefined) {
    packet.will = { topic: will.topic, payload: toBytes(will.payload), qos: will.qos ?? 0, retain: will.retain ?? false };
    if (version === 5 && will.properties !== undefined) packet.will.properties = will.properties;
  }
  if (version === 5) {
    const properties = { ...options.properties };
    if (options.sessionExpiryInterval !== undefined) properties.sessionExpiryInterval = options.sessionExpiryInterval;
    if (options.authenticationMethod !== undefined) properties.authenticationMethod = options.authenticationMethod;
    if (options.authenticationData !== undefined) properties.authenticationData = options.authenticationData;
    if (Object.keys(properties).length > 0) packet.properties = properties;
  }
  return packet;
}

/** What CONNACK says the server allows; 3.1.1 servers get the protocol's defaults. */
export function capabilitiesOf(connack: ConnackPacket, version: ProtocolVersion): ServerCapabilities {
  const p = connack.properties ?? {};
  return {
    receiveMaximum: p.receiveMaximum ?? 65_535,
    maximumQoS: (p.maximumQoS ?? 2) as ServerCapabilities['maximumQoS'],
    retainAvailable: p.retainAvailable !== 0,
    maximumPacketSize: p.maximumPacketSize,
    topicAliasMaximum: p.topicAliasMaximum ?? 0,
    wildcardSubscriptionAvailable: p.wildcardSubscriptionAvailable !== 0,
    subscriptionIdentifierAvailable: version === 5 && p.subscriptionIdentifierAvailable !== 0,
    sharedSubscriptionAvailable: p.sharedSubscriptionAvailable !== 0,
    serverKeepAlive: p.serverKeepAlive,
    assignedClientIdentifier: p.assignedClientIdentifier,
  };
}
