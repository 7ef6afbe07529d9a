/**
 * The client's public contract. `@mqttkit/react` and the demo depend only on these types.
 * Implementation lives in the small modules next to this file, wired by `MqttClient`.
 */
import type { MqttError } from '../errors.ts';
import type { Properties, ProtocolVersion, QoS } from '../codec/packets.ts';
import type { TransportFactory } from './transport.ts';

/** `idle` before connect(); `offline` when the browser reports no network; `closed` after close(). */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

/** What the server told us in CONNACK (5.0) or the 3.1.1 defaults. */
export interface ServerCapabilities {
  receiveMaximum: number;
  maximumQoS: QoS;
  retainAvailable: boolean;
  maximumPacketSize: number | undefined;
  topicAliasMaximum: number;
  wildcardSubscriptionAvailable: boolean;
  subscriptionIdentifierAvailable: boolean;
  sharedSubscriptionAvailable: boolean;
  /** The keepalive the server imposed, in seconds, if any. */
  serverKeepAlive: number | undefined;
  assignedClientIdentifier: string | undefined;
}

/** An immutable snapshot of the client's state; a new object whenever anything in it changes. */
export interface ClientState {
  status: ConnectionStatus;
  /** The last error (refusal, transport failure, protocol error); cleared on a successful connect. */
  error: MqttError | undefined;
  /** Connection attempts since the last successful connect (0 while connected). */
  attempt: number;
  /** Epoch milliseconds of the next reconnect attempt, while waiting for it. */
  nextRetryAt: number | undefined;
  /** Publishes waiting to be sent (offline queue) or acknowledged (in flight). */
  queued: number;
  /** The URL of the server in use or being tried. */
  server: string | undefined;
  /** From the last CONNACK. */
  sessionPresent: boolean;
  /** True when the last reconnect found no session where one was expected (state was lost). */
  sessionLost: boolean;
  capabilities: ServerCapabilities | undefined;
}

/** A read-only observable store in the shape `useSyncExternalStore` expects. */
export interface StateStore<T> {
  getSnapshot(): T;
  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** A message delivered to a subscription handler. */
export interface Message {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  /** 5.0 properties as received (content type, user properties, response topic, ...). */
  properties?: Properties;
}

export type MessageHandler = (message: Message) => void;

export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
  /** 5.0 publish properties (message expiry, content type, user properties, response topic, ...). */
  properties?: Properties;
}

export interface SubscribeOptions {
  qos?: QoS;
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
  /** 5.0 subscription identifier for this filter. */
  subscriptionIdentifier?: number;
}

/**
 * Calling it removes the handler (UNSUBSCRIBE goes out when the last handler of a filter leaves).
 * `ready` resolves with the granted QoS on SUBACK, or rejects with a typed error if the server refused.
 */
export interface SubscriptionHandle {
  (): void;
  readonly ready: Promise<QoS>;
}

/** A connection's credentials; `credentials()` may return fresh ones before every attempt. */
export interface Credentials {
  username?: string;
  password?: string | Uint8Array;
}

export interface WillOptions {
  topic: string;
  payload: string | Uint8Array;
  qos?: QoS;
  retain?: boolean;
  /** 5.0 will properties, including willDelayInterval. */
  properties?: Properties;
}

export interface ReconnectOptions {
  /** First delay in ms (default 1,000). */
  minDelay?: number;
  /** Longest delay in ms (default 30,000). */
  maxDelay?: number;
  /** Growth per attempt (default 2). Full jitter: the delay is random in [0, min(max, min * factor^attempt)]. */
  factor?: number;
  /** A connection that stays up this long (ms) resets the backoff (default 10,000). */
  resetAfter?: number;
  /** The jitter source, `Math.random` by default (tests pass a fixed one). */
  random?: () => number;
}

/** The subset of the WebSocket API the client uses; browsers' WebSocket and Node's `ws` both fit. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly protocol: string;
  send(data: Uint8Array | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  onopen: EventHandler<unknown>;
  onclose: EventHandler<{ code: number; reason: string }>;
  onerror: EventHandler<unknown>;
  onmessage: EventHandler<{ data: unknown }>;
}

/**
 * An `on*` handler slot. Method syntax makes the parameter bivariant, so both the DOM's WebSocket (handlers taking
 * `Event`/`MessageEvent`) and `ws` (its own event classes) fit `WebSocketLike`.
 */
export type EventHandler<E> = { handler(event: E): void }['handler'] | null;

export type WebSocketConstructor = new (url: string, protocols: string | string[]) => WebSocketLike;

/** Time source and timers, injectable so state machines are tested with a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ClientOptions {
  /** One server URL (`ws://host:port/path`); or use `servers`. */
  url?: string;
  /**
   * Several server URLs (a cluster's nodes), tried in order (or randomly with `serverOrder: 'random'`): after a
   * failure the next one at once, with the reconnect backoff between rounds. `state.server` shows the one in use.
   */
  servers?: string[];
  serverOrder?: 'in-order' | 'random';
  /** Default 5. */
  protocolVersion?: ProtocolVersion;
  /** Generated when absent (5.0: the server may assign one). */
  clientId?: string;
  username?: string;
  password?: string | Uint8Array;
  /** Awaited before every connection attempt, e.g. to refresh a token. Overrides username/password. */
  credentials?: () => Credentials | Promise<Credentials>;
  /** Clean session (3.1.1) / clean start (5.0). Default true. */
  clean?: boolean;
  /** 5.0 session expiry in seconds (0 = ends with the connection). */
  sessionExpiryInterval?: number;
  /** Seconds; default 60; 0 disables. */
  keepalive?: number;
  will?: WillOptions;
  /** 5.0 CONNECT properties: receiveMaximum, maximumPacketSize, topicAliasMaximum, requestResponseInformation, userProperties. */
  properties?: Properties;
  /** `false` disables reconnecting. */
  reconnect?: false | ReconnectOptions;
  /**
   * Keep retrying after refusals that cannot succeed on retry (bad credentials, not authorized), and after the
   * third 5.0 DISCONNECT 0x8E within two minutes (session taken over again and again: another client uses this
   * clientId, and each retry takes the session back from it). Default false.
   */
  retryOnRefusal?: boolean;
  /**
   * Follow a 5.0 server reference (CONNACK/DISCONNECT 0x9C/0x9D) at once, also with `reconnect: false`; at most 5
   * in a row without being accepted. Default false: the refusal surfaces as a `ConnectionRefusedError`.
   */
  followServerReference?: boolean;
  /** Milliseconds to wait for CONNACK (default 10,000). */
  connectTimeout?: number;
  /** Bound of the offline queue (default 1,000) and what happens when it is full. */
  offlineQueue?: { limit?: number; overflow?: 'drop-oldest' | 'reject-new' };
  /** Stores unacknowledged QoS 1/2 publishes; in memory by default, IndexedDB to survive reloads. */
  store?: MessageStore;
  /** 5.0 enhanced authentication: called with each AUTH challenge, returns the response data. */
  authenticate?: (challenge: { method: string; data: Uint8Array | undefined }) => Promise<Uint8Array | undefined>;
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
  /** The WebSocket implementation; the global one by default (pass `ws` on Node 20). */
  WebSocket?: WebSocketConstructor;
  clock?: Clock;
  /** Replaces the WebSocket transport (packet level): for tests, or another framing. */
  transport?: TransportFactory;
  /** How many topics' last message to keep for late subscribers (default 1,000; 0 disables). */
  messageCacheLimit?: number;
  /** Milliseconds to keep a filter subscribed after its last handler left, so an unmount/remount does not churn (default 0: the next timer turn). */
  unsubscribeDelay?: number;
  /**
   * Most QoS 1/2 publishes in flight at once (never more than the server's 5.0 Receive Maximum). Default 20 at
   * 3.1.1, where the server cannot announce its limit (mosquitto's max_inflight_messages is 20 and it drops the
   * excess while acknowledging it); unlimited at 5.0 beyond the server's Receive Maximum.
   */
  maxInflight?: number;
  /** Milliseconds to wait for PINGRESP before treating the connection as dead (default half the keepalive, at most 30,000). */
  pingTimeout?: number;
}

/** A publish the client must not lose: kept until acknowledged (QoS 1/2) or sent (offline QoS 0). */
export interface StoredPublish {
  /** Monotonic sequence for ordering across restarts. */
  seq: number;
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: Properties;
  /** Assigned once first sent; kept for resending with DUP. */
  packetId?: number;
  /** QoS 2: PUBREC received, PUBREL is what remains to be sent. */
  released?: boolean;
}

/** Persistence for outgoing messages. Implementations: in memory, IndexedDB. One contract test suite covers all. */
export interface MessageStore {
  load(): Promise<StoredPublish[]>;
  put(message: StoredPublish): Promise<void>;
  delete(seq: number): Promise<void>;
  clear(): Promise<void>;
}

export interface RequestOptions extends PublishOptions {
  /** Milliseconds to wait for the response (default 10,000). */
  timeout?: number;
}

/** What `MqttClient` offers; `@mqttkit/react` depends on this interface only. */
export interface MqttClientApi {
  /** Observable connection state: `state.subscribe(listener)`, `state.getSnapshot()`. */
  readonly state: StateStore<ClientState>;
  /** Starts connecting (idempotent); resolves on the first successful CONNACK, rejects on a final refusal. */
  connect(): Promise<void>;
  /**
   * Adds `handler` for messages matching `filter`. One SUBSCRIBE per distinct filter however many handlers;
   * a handler added to an already-subscribed filter first receives the cached retained/last values.
   * Throws `InvalidArgumentError` synchronously for an invalid filter.
   */
  subscribe(filter: string, handler: MessageHandler, options?: SubscribeOptions): SubscriptionHandle;
  /** Resolves when QoS 0 is written, on PUBACK (QoS 1) or PUBCOMP (QoS 2); queued while offline. */
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<void>;
  /** 5.0 request/response: publishes with a response topic and correlation data, resolves with the reply. */
  request(topic: string, payload: string | Uint8Array, options?: RequestOptions): Promise<Message>;
  /**
   * Stops the client for good. By default gracefully: new publishes are refused at once, then it waits (at most
   * `timeoutMs`) over the current connection for every queued and in-flight publish to be acknowledged, then sends
   * DISCONNECT. `force: true` disconnects at once. Never reconnects meanwhile. Resolves when closed; whatever is
   * still pending then rejects with `ClientClosedError` (publishes in a durable `store` stay there for the next
   * client on it).
   */
  close(options?: CloseOptions): Promise<void>;
}

/** How `close()` ends the connection. */
export interface CloseOptions {
  /**
   * Milliseconds to wait for queued and in-flight publishes (PUBACK / PUBCOMP) before disconnecting anyway
   * (default 5,000). 0 is the same as `force`.
   */
  timeoutMs?: number;
  /** Disconnect at once without waiting for anything (default false). */
  force?: boolean;
}
