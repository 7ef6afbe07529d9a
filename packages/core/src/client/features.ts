/**
 * The optional parts of a client. `MqttClient` (and `connect()`) wire in every one; `createClient(options,
 * features)` builds a client with only those given, so a bundle carries only what it uses: a dashboard that only
 * listens needs none of them.
 */
import type { AuthPacket, Packet, ProtocolVersion, PublishAckPacket, PublishPacket } from '../codec/packets.ts';
import type { MqttError } from '../errors.ts';
import type { ReasonExplainer } from './errors.ts';
import type { PacketIds } from './packet-ids.ts';
import type { RequestClient } from './request.ts';
import type { Transport } from './transport.ts';
import type { ClientEncoders } from './wire-codec.ts';
import type {
  ClientOptions,
  Clock,
  Message,
  PublishOptions,
  RequestOptions,
  ServerCapabilities,
} from './types.ts';

/** What a feature sees of the client it is wired into. */
export interface ClientHost {
  readonly version: ProtocolVersion;
  readonly options: ClientOptions;
  readonly clock: Clock;
  /** Packet ids, shared with SUBSCRIBE/UNSUBSCRIBE. */
  readonly ids: PacketIds;
  /** Explains reason codes in error messages (`describeReason` with `reasonTexts`). */
  readonly explain: ReasonExplainer;
  /** Whether a CONNACK accepted the current connection. */
  connected(): boolean;
  /** What the current (or last) server's CONNACK allowed. */
  capabilities(): ServerCapabilities | undefined;
  /** Sends on the current connection (nothing when there is none). */
  send(packet: Packet): void;
  /** Ends the current connection because of `error` (5.0: telling the server why when `tell`). */
  abort(error: MqttError, tell?: boolean): void;
  /** The number of queued or in-flight publishes may have changed. */
  changed(): void;
}

/**
 * The client side of the MQTT session: `publish()` at QoS 0, 1 and 2 (packet ids, the Receive Maximum window,
 * resend after reconnect), the offline queue and message store, and inbound QoS 2 delivered exactly once.
 */
export interface ClientSession {
  /** Resolves once a message store's messages are restored; connecting waits for it. */
  readonly loaded: Promise<void>;
  /** Publishes queued plus publishes in flight. */
  readonly count: number;
  /** The encoders of what it sends (PUBLISH, the QoS 2 acknowledgements), added to the core's. */
  readonly encoders?: ClientEncoders;
  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): Promise<void>;
  /** A CONNACK accepted us: adopt the server's limits, resend what is unacknowledged, send what waits. */
  resume(capabilities: ServerCapabilities, sessionPresent: boolean): void;
  /** PUBACK, PUBREC, PUBREL or PUBCOMP from the server. */
  acknowledged(packet: PublishAckPacket<'puback' | 'pubrec' | 'pubrel' | 'pubcomp'>): void;
  /** An inbound QoS 2 PUBLISH: true the first time its id is seen (deliver it), false for a resend until PUBREL. */
  firstDelivery(packetId: number): boolean;
  /** The client closed: reject everything pending. */
  abandon(error: MqttError): void;
}

/** What `client.request()` does. */
export type Requester = (topic: string, payload: string | Uint8Array, options?: RequestOptions) => Promise<Message>;

/** MQTT 5.0 topic aliases of one connection (see `TopicAliases`). */
export interface TopicAliasMap {
  /** Sends a PUBLISH on `transport`, with an alias where the server allows one. */
  outgoing(packet: PublishPacket, transport: Pick<Transport, 'send'>): void;
  /** The topic of an inbound PUBLISH; throws `ProtocolError` 0x94 for an alias out of range, 0x82 for one never set. */
  incoming(packet: PublishPacket): string;
}

/** Which server each connection attempt goes to (see `Failover`). */
export interface ServerChoice {
  /** The URL of the next attempt. */
  next(): string;
  /** A CONNACK accepted us. */
  accepted(): void;
  /** A CONNACK or DISCONNECT with a reason code and perhaps a 5.0 Server Reference; `current` is the URL in use. */
  refer(reason: number, reference: string | undefined, current: string): void;
  /** An attempt or connection failed: true when a server reference is to be followed at once. */
  failed(final: boolean): boolean;
  /** Whether the next server of this round is tried at once (false: the round is over, back off). */
  nextInRound(): boolean;
}

/** The optional features `createClient` wires in; each is exported under the same name. */
export interface ClientFeatures {
  /** Publishing at QoS 0/1/2 with the offline queue and message store, and inbound QoS 2. Without it, `publish()` rejects. */
  session?: (host: ClientHost) => ClientSession;
  /** 5.0 topic aliases, outbound (up to the server's maximum) and inbound (up to `properties.topicAliasMaximum`). */
  topicAliases?: (serverMaximum: number, ourMaximum: number) => TopicAliasMap;
  /** 5.0 enhanced authentication: hands AUTH challenges to `options.authenticate`. */
  enhancedAuth?: (host: ClientHost, packet: AuthPacket, isCurrent: () => boolean) => Promise<void>;
  /** 5.0 request/response (`client.request()`); needs `session` to publish. */
  request?: (client: RequestClient, host: ClientHost) => Requester;
  /** Several servers (`servers`, `serverOrder`) and 5.0 server references (`followServerReference`). */
  failover?: (servers: string[], options: ClientOptions) => ServerChoice;
  /** What every failure reason code means and what to do, in error messages (about 1.2 KB gzip). */
  reasonTexts?: ReasonExplainer;
}
