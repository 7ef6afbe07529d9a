import type { Properties, QoS } from '@mqttkit/core';

/**
 * An application message as the broker routes and stores it: what the publisher sent, minus the per-hop
 * properties (topic alias, subscription identifiers, expiry which becomes an absolute `expiresAt`).
 */
export interface BrokerMessage {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  /** Passed through to subscribers: user properties, response topic, correlation data, content type, ... */
  properties?: Properties;
  /** Epoch milliseconds after which the message is no longer delivered (5.0 message expiry interval). */
  expiresAt?: number;
  /** The publishing client, for no-local subscriptions; absent for broker-originated messages. */
  publisherId?: string;
}

/** A message on its way to one session: queued, or sent and waiting for its acknowledgement. */
export interface Outgoing {
  /** Per-session sequence number: the store's key, and the delivery order. */
  seq: number;
  message: BrokerMessage;
  /** Delivery QoS: min(message QoS, granted QoS). */
  qos: QoS;
  retain: boolean;
  subscriptionIds?: number[];
  /** `queued` not sent yet; `publish` sent, awaiting PUBACK/PUBREC; `pubrel` PUBREL sent, awaiting PUBCOMP. */
  state: 'queued' | 'publish' | 'pubrel';
  packetId?: number;
  /**
   * In flight from an earlier connection and not resent yet: the reconnected client's Receive Maximum was full
   * (MQTT-3.3.4-9). Resent, with DUP, as acknowledgements free the window. Never stored: a restart resends anyway.
   */
  resendDue?: true;
}

/** Remaining whole seconds of a message's expiry, 0 when expired, undefined when it never expires. */
export function remainingExpiry(message: BrokerMessage, now: number): number | undefined {
  if (message.expiresAt === undefined) return undefined;
  return Math.max(0, Math.ceil((message.expiresAt - now) / 1000));
}

/** Properties a publisher sets that travel with the message to subscribers (MQTT-3.3.2-4 and friends). */
export function forwardedProperties(properties: Properties | undefined): Properties | undefined {
  if (!properties) return undefined;
  const { topicAlias: _alias, subscriptionIdentifier: _ids, messageExpiryInterval: _expiry, ...rest } = properties;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** A copy with only the declared fields (no cached encodings), as a store keeps it. */
export function plainMessage(message: BrokerMessage): BrokerMessage {
  const copy: BrokerMessage = { topic: message.topic, payload: message.payload, qos: message.qos, retain: message.retain };
  if (message.properties !== undefined) copy.properties = message.properties;
  if (message.expiresAt !== undefined) copy.expiresAt = message.expiresAt;
  if (message.publisherId !== undefined) copy.publisherId = message.publisherId;
  return copy;
}
