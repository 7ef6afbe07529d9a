import type { ProtocolVersion, QoS, WillMessage } from '@mqttkit/core';
import type { BrokerMessage, Outgoing } from '../message.ts';

/** A subscription as a session keeps it (the filter is the full one, `$share/...` included). */
export interface StoredSubscription {
  filter: string;
  qos: QoS;
  noLocal: boolean;
  retainAsPublished: boolean;
  retainHandling: 0 | 1 | 2;
  subscriptionId?: number;
}

export interface StoredSession {
  clientId: string;
  /** Seconds; 0xFFFFFFFF never expires. */
  expiryInterval: number;
  /** The user name the session's owner connected with: read permissions are checked for it while offline. */
  username?: string;
  /** Epoch ms of the last disconnect; undefined while connected. Expiry counts from here. */
  disconnectedAt?: number;
  subscriptions: StoredSubscription[];
  /** Queued and in-flight messages, in delivery order. */
  messages: Outgoing[];
  /** QoS 2 packet ids received from the client and not yet released (PUBREL), so a resend is not routed twice. */
  inboundQos2: number[];
}

/**
 * A will a connection owes (5.0 4.1: the Will Message and Will Delay Interval are session state). Stored while
 * its connection is open and while a 5.0 will delay runs, so a broker that dies still publishes it after restart.
 */
export interface StoredWill {
  clientId: string;
  /** Tells this will from a later connection's under the same client id: a late delete must not remove that one. */
  willId: string;
  /** The publishing client as hooks see it: the will is authorized as its PUBLISH. */
  username?: string;
  protocolVersion: ProtocolVersion;
  will: WillMessage;
  /** Epoch ms the will is due (its connection closed, the delay runs); absent while its connection is open. */
  dueAt?: number;
}

export interface StoredState {
  sessions: StoredSession[];
  retained: BrokerMessage[];
  wills: StoredWill[];
}

/**
 * Where persistent sessions and retained messages live. The broker keeps its working state in memory and writes
 * every change through to the store before it acknowledges anything, so a store that commits synchronously
 * (SQLite) survives `kill -9` with nothing acknowledged lost. Methods are synchronous on purpose: ordering is
 * then trivially the broker's order and an acknowledgement can never overtake its write.
 *
 * Only persistent sessions (session expiry > 0 / clean session false) and QoS 1/2 messages reach the store;
 * wills are stored for every connection, since a clean session's will is owed too when the broker dies.
 */
export interface SessionStore {
  /** Everything, once at start-up. */
  load(): StoredState;
  /** Runs `work` as one atomic unit (one transaction); nested calls join the outer one. */
  transaction<T>(work: () => T): T;
  /** Creates or updates the session row (not its subscriptions or messages). */
  saveSession(session: Omit<StoredSession, 'subscriptions' | 'messages' | 'inboundQos2'>): void;
  /** Removes a session with its subscriptions, messages and inbound QoS 2 state. */
  deleteSession(clientId: string): void;
  saveSubscription(clientId: string, subscription: StoredSubscription): void;
  deleteSubscription(clientId: string, filter: string): void;
  /** Inserts or replaces the message with this `seq` (state and packet id change as it is sent and acked). */
  saveMessage(clientId: string, message: Outgoing): void;
  deleteMessage(clientId: string, seq: number): void;
  addInboundQos2(clientId: string, packetId: number): void;
  deleteInboundQos2(clientId: string, packetId: number): void;
  /** Stores the will a client id's connection owes, replacing any earlier one of that client id. */
  saveWill(will: StoredWill): void;
  /** Removes the will of `clientId` if it is still the one with `willId`. */
  deleteWill(clientId: string, willId: string): void;
  /** Stores a retained message, replacing the topic's previous one. */
  saveRetained(message: BrokerMessage): void;
  deleteRetained(topic: string): void;
  close(): void;
}
