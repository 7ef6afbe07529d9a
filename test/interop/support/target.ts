/**
 * A broker the client suite runs against, at one protocol level, with the ways it departs from the spec written
 * down as data: each suite states the broker's behaviour as the expected one, with the quirk named next to it.
 */
import type { ProtocolVersion, QoS } from '../../../packages/core/src/codec/packets.ts';

export interface Quirks {
  /**
   * RabbitMQ 3.10 downgrades QoS 2 to 1 both ways: SUBACK grants 1, a QoS 2 PUBLISH is answered with PUBACK,
   * deliveries come at QoS 1.
   */
  maximumQoS: QoS;
  /** RabbitMQ Web-MQTT publishes the will even after a clean DISCONNECT (rabbitmq/rabbitmq-server#4061). */
  willAfterCleanDisconnect: boolean;
  /** RabbitMQ maps MQTT topics to AMQP routing keys: a `.` in a topic arrives as `/`. */
  dotBecomesSlash: boolean;
  /**
   * RabbitMQ Web-MQTT closes the WebSocket (code 1002) without a CONNACK on bad credentials, so the client cannot
   * tell the refusal from a network failure.
   */
  refusesWithoutConnack: boolean;
  /** ejabberd 23.01 has no shared subscriptions (5.0 CONNACK: sharedSubscriptionAvailable 0). */
  sharedSubscriptions: boolean;
}

export interface BrokerTarget {
  /** For test names, e.g. `ejabberd 23.01`. */
  name: string;
  version: ProtocolVersion;
  /** The MQTT-over-WebSocket URL; a function because the broker starts in `beforeAll`. */
  url(): string;
  /** Accepted credentials (ejabberd needs a username and a non-empty password on every CONNECT). */
  credentials: { username?: string; password?: string };
  /** A known user with the wrong password. */
  wrongCredentials: { username: string; password: string };
  quirks: Quirks;
}

export const specQuirks: Quirks = {
  maximumQoS: 2,
  willAfterCleanDisconnect: false,
  dotBecomesSlash: false,
  refusesWithoutConnack: false,
  sharedSubscriptions: true,
};
