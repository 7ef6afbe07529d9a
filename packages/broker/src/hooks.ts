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

/** Who is authenticating with a 5.0 authentication method: on CONNECT, or re-authenticating while connected. */
export interface EnhancedAuthRequest extends AuthenticateRequest {
  /** The Authentication Method the client named (the key it was found under). */
  readonly method: string;
  /** True for a re-authentication (AUTH 0x19) of a connected client; false during CONNECT. */
  readonly reauthentication: boolean;
}

/**
 * One step of an exchange: `continue` sends the data to the client in AUTH 0x18 and waits for its answer;
 * `success` accepts (CONNACK 0x00, or AUTH 0x00 after a re-authentication), with optional final data;
 * `failure` refuses (CONNACK, or DISCONNECT after a re-authentication; default reason 0x87 not authorized).
 */
export type AuthStep =
  | { status: 'continue'; data: Uint8Array }
  | { status: 'success'; data?: Uint8Array }
  | { status: 'failure'; reasonCode?: number; reasonString?: string };

/**
 * The server side of one exchange. Called first with the Authentication Data of the CONNECT (or of the AUTH 0x19
 * that starts a re-authentication), then with the data of each AUTH 0x18 the client answers with.
 */
export type AuthExchange = (data: Uint8Array | undefined) => AuthStep | Promise<AuthStep>;

/** Starts an exchange for one client; the returned function may keep its state (a nonce) in its closure. */
export type AuthenticationMethod = (request: EnhancedAuthRequest) => AuthExchange;

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
  /**
   * 5.0 enhanced authentication, by Authentication Method name (a CONNECT naming another method gets CONNACK
   * 0x8C). A client that names a method here is authenticated by that method's exchange instead of
   * `authenticate` (its user name is passed along, for the method to check); it may re-authenticate while
   * connected with AUTH 0x19 and the same method.
   *
   * @example A token challenge: the client proves it holds a shared secret without sending it.
   * ```ts
   * authenticationMethods: {
   *   'HMAC-TOKEN': () => {
   *     const nonce = randomBytes(16);
   *     let challenged = false;
   *     return (data) => {
   *       if (!challenged) return (challenged = true), { status: 'continue', data: nonce };
   *       const expected = createHmac('sha256', secret).update(nonce).digest();
   *       return data && data.length === expected.length && timingSafeEqual(data, expected) ? { status: 'success' } : { status: 'failure' };
   *     };
   *   },
   * }
   * ```
   */
  authenticationMethods?: Record<string, AuthenticationMethod>;
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
