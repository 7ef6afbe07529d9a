import type { QoS } from '@mqttkit/core';

/** Who is on the other end of a connection, as hooks see it. */
export interface ClientInfo {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly remoteAddress: string;
  readonly protocolVersion: 4 | 5;
}

export interface AuthenticateRequest extends ClientInfo {
  readonly password: Uint8Array | undefined;
}

/**
 * `true` accepts; `false` refuses with "bad user name or password"; an object refuses with its reason code. A 5.0
 * client can be redirected: reason 0x9C (use another server) or 0x9D (server moved) with `serverReference`
 * (`host:port`), sent as the CONNACK's Server Reference property.
 */
export type AuthenticateResult = boolean | { reasonCode: number; reasonString?: string; serverReference?: string };

export interface PublishRequest {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly qos: QoS;
  readonly retain: boolean;
}

export interface SubscribeRequest {
  readonly filter: string;
  readonly qos: QoS;
}

/**
 * Pluggable security. Every hook may be async; a hook that throws refuses (and is logged), it never takes the
 * broker down. Absent hooks allow everything.
 */
export interface BrokerHooks {
  /** Called once per CONNECT, after protocol checks and before any session state is touched. */
  authenticate?(request: AuthenticateRequest): AuthenticateResult | Promise<AuthenticateResult>;
  /** `false` refuses the PUBLISH: PUBACK/PUBREC 0x87 at 5.0, silently dropped at 3.1.1. */
  authorizePublish?(client: ClientInfo, message: PublishRequest): boolean | Promise<boolean>;
  /** `false` refuses the filter (SUBACK 0x87 / 0x80); a QoS grants at most that QoS. */
  authorizeSubscribe?(client: ClientInfo, subscription: SubscribeRequest): boolean | QoS | Promise<boolean | QoS>;
  /**
   * Checked for every delivery (synchronous: it is on the hot path). A wildcard subscription allowed by
   * `authorizeSubscribe` still never carries a message from a topic this refuses.
   */
  authorizeRead?(client: ClientInfo, topic: string): boolean;
}
