/**
 * The MQTT control packets as one discriminated union: the single source of truth for encoder and decoder.
 * Payloads and binary fields are `Uint8Array`; strings are UTF-8 on the wire.
 */

/** Protocol level on the wire: 4 is MQTT 3.1.1, 5 is MQTT 5.0. */
export type ProtocolVersion = 4 | 5;

/** Quality of service: 0 at most once, 1 at least once, 2 exactly once. */
export type QoS = 0 | 1 | 2;

/** A 5.0 user property: a name/value pair; names may repeat and order is kept. */
export type UserProperty = readonly [name: string, value: string];

/**
 * Every MQTT 5.0 property. Which ones a packet may carry is checked against the table in `properties.ts`.
 * Properties that may appear more than once (user property, subscription identifier in PUBLISH) are arrays.
 */
export interface Properties {
  payloadFormatIndicator?: number;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Uint8Array;
  subscriptionIdentifier?: number[];
  sessionExpiryInterval?: number;
  assignedClientIdentifier?: string;
  serverKeepAlive?: number;
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
  requestProblemInformation?: number;
  willDelayInterval?: number;
  requestResponseInformation?: number;
  responseInformation?: string;
  serverReference?: string;
  reasonString?: string;
  receiveMaximum?: number;
  topicAliasMaximum?: number;
  topicAlias?: number;
  maximumQoS?: number;
  retainAvailable?: number;
  userProperties?: UserProperty[];
  maximumPacketSize?: number;
  wildcardSubscriptionAvailable?: number;
  subscriptionIdentifierAvailable?: number;
  sharedSubscriptionAvailable?: number;
}

export interface WillMessage {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  /** 5.0 will properties (will delay, message expiry, content type, ...). */
  properties?: Properties;
}

export interface ConnectPacket {
  type: 'connect';
  protocolVersion: ProtocolVersion;
  clientId: string;
  /** 3.1.1 clean session / 5.0 clean start. */
  clean: boolean;
  /** Seconds; 0 disables keepalive. */
  keepalive: number;
  username?: string;
  password?: Uint8Array;
  will?: WillMessage;
  properties?: Properties;
}

export interface ConnackPacket {
  type: 'connack';
  sessionPresent: boolean;
  /** 3.1.1 return code (0-5) or 5.0 reason code. */
  reasonCode: number;
  properties?: Properties;
}

export interface PublishPacket {
  type: 'publish';
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Present exactly when qos > 0. */
  packetId?: number;
  properties?: Properties;
}

/** PUBACK, PUBREC, PUBREL and PUBCOMP share one shape. */
export interface PublishAckPacket<T extends 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'> {
  type: T;
  packetId: number;
  /** 5.0 only; absent means 0 (success). */
  reasonCode?: number;
  properties?: Properties;
}
export type PubackPacket = PublishAckPacket<'puback'>;
export type PubrecPacket = PublishAckPacket<'pubrec'>;
export type PubrelPacket = PublishAckPacket<'pubrel'>;
export type PubcompPacket = PublishAckPacket<'pubcomp'>;

/** One entry of a SUBSCRIBE. The 5.0 options are ignored (and must be default) at 3.1.1. */
export interface Subscription {
  filter: string;
  qos: QoS;
  noLocal?: boolean;
  retainAsPublished?: boolean;
  /** 0 send retained on subscribe, 1 only if the subscription is new, 2 never. */
  retainHandling?: 0 | 1 | 2;
}

export interface SubscribePacket {
  type: 'subscribe';
  packetId: number;
  subscriptions: Subscription[];
  properties?: Properties;
}

export interface SubackPacket {
  type: 'suback';
  packetId: number;
  /** Granted QoS (0-2) or a failure code (0x80 and above), one per subscription. */
  reasonCodes: number[];
  properties?: Properties;
}

export interface UnsubscribePacket {
  type: 'unsubscribe';
  packetId: number;
  filters: string[];
  properties?: Properties;
}

export interface UnsubackPacket {
  type: 'unsuback';
  packetId: number;
  /** 5.0 only: one per filter. Empty at 3.1.1. */
  reasonCodes: number[];
  properties?: Properties;
}

export interface PingreqPacket {
  type: 'pingreq';
}

export interface PingrespPacket {
  type: 'pingresp';
}

export interface DisconnectPacket {
  type: 'disconnect';
  /** 5.0 only; absent means 0 (normal disconnection). */
  reasonCode?: number;
  properties?: Properties;
}

/** 5.0 only: enhanced authentication exchange. */
export interface AuthPacket {
  type: 'auth';
  /** Absent means 0 (success). */
  reasonCode?: number;
  properties?: Properties;
}

export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | PubackPacket
  | PubrecPacket
  | PubrelPacket
  | PubcompPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingreqPacket
  | PingrespPacket
  | DisconnectPacket
  | AuthPacket;

export type PacketType = Packet['type'];

/** Packet type names by wire number (CONNECT is 1 ... AUTH is 15); index 0 is reserved. */
export const PACKET_TYPES = [
  '',
  'connect',
  'connack',
  'publish',
  'puback',
  'pubrec',
  'pubrel',
  'pubcomp',
  'subscribe',
  'suback',
  'unsubscribe',
  'unsuback',
  'pingreq',
  'pingresp',
  'disconnect',
  'auth',
] as const;

/** The packet of a given type, e.g. `PacketOf<'publish'>`. */
export type PacketOf<T extends PacketType> = Extract<Packet, { type: T }>;
