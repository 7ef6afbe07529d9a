import type { Outgoing } from './message.ts';
import type { SessionStore, StoredSubscription } from './store/types.ts';
import type { Client } from './client.ts';
import type { SharedGroup } from './router.ts';
import type { ClientInfo } from './hooks.ts';
import type { WillOwner } from './will.ts';

/** Session expiry value that means "never expires" (5.0 3.1.2.11.2). */
export const NEVER_EXPIRES = 0xffffffff;

/** One subscription of one session, as the router stores it (the object identity is the trie entry). */
export interface Route {
  session: Session;
  subscription: StoredSubscription;
  /** For `$share/group/filter`: the group this route is a member of. */
  group?: SharedGroup;
}

/**
 * The state MQTT keeps for a client id across connections: subscriptions, messages queued or in flight to it,
 * QoS 2 packet ids received from it and not yet released. A persistent session (expiry > 0) writes every change
 * through to the store; a clean one never touches it.
 */
export class Session {
  /** Waiting to be sent: offline, the client's receive maximum is full, or its socket is congested. */
  readonly queue: Outgoing[] = [];
  // The maps below are created on first use: an empty Map or Set costs ~150-200 B, and an idle connection's
  // session never uses them (what the broker's memory per idle connection is judged on).
  private subscriptionMap: Map<string, Route> | undefined;
  private inflightMap: Map<number, Outgoing> | undefined;
  private inboundQos2Set: Set<number> | undefined;
  /** The connection using this session now (attach and detach through the broker, which keeps its will stored). */
  client: Client | undefined;
  /** The last client that owned the session: whom read permissions are checked for while it is offline. */
  owner: ClientInfo | undefined;
  /** A will waiting for its delay (5.0), published if the session ends first. */
  pendingWill: WillOwner | undefined;
  /** In-flight messages marked `resendDue`: 0 except after a reconnect with a smaller Receive Maximum. */
  resendsDue = 0;
  /** Router bookkeeping: the last match that reached this session, and its delivery's index there. */
  matchStamp = 0;
  matchIndex = 0;
  /** The store has a row for this session. */
  stored = false;
  disconnectedAt: number | undefined;
  expiryTimer: NodeJS.Timeout | undefined;
  willTimer: NodeJS.Timeout | undefined;
  private seq = 0;
  private nextPacketId = 1;

  constructor(
    readonly clientId: string,
    /** Seconds; 0 ends the session with the connection. */
    public expiryInterval: number,
    private readonly store: SessionStore,
  ) {}

  /** The session's subscriptions, by filter. */
  get subscriptions(): Map<string, Route> {
    return (this.subscriptionMap ??= new Map());
  }

  /** Sent and awaiting acknowledgement, by packet id, in send order. */
  get inflight(): Map<number, Outgoing> {
    return (this.inflightMap ??= new Map());
  }

  /** QoS 2 packet ids received from the client and not yet released. */
  get inboundQos2(): Set<number> {
    return (this.inboundQos2Set ??= new Set());
  }

  /** The messages in flight, in send order, without creating the map for a session that has none. */
  inflightMessages(): Iterable<Outgoing> {
    return this.inflightMap?.values() ?? [];
  }

  get persistent(): boolean {
    return this.expiryInterval > 0;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Continues numbering after messages restored from the store. */
  restoreSeq(seq: number): void {
    if (seq > this.seq) this.seq = seq;
  }

  /** A packet id not used by any message in flight (MQTT-2.2.1-3). The in-flight window is far below 65,535. */
  allocatePacketId(): number {
    for (let tries = 0; tries < 65535; tries++) {
      const id = this.nextPacketId;
      this.nextPacketId = id === 65535 ? 1 : id + 1;
      if (!this.inflight.has(id)) return id;
    }
    throw new Error('no free packet identifier: 65,535 messages in flight');
  }

  // Write-through helpers: a no-op for sessions that end with their connection.

  saveRow(): void {
    if (this.persistent) {
      const row: { clientId: string; expiryInterval: number; username?: string; disconnectedAt?: number } = { clientId: this.clientId, expiryInterval: this.expiryInterval };
      if (this.owner?.username !== undefined) row.username = this.owner.username;
      if (this.disconnectedAt !== undefined) row.disconnectedAt = this.disconnectedAt;
      this.store.saveSession(row);
      this.stored = true;
    }
  }

  /** Writes the whole session: used when a session becomes persistent. */
  saveAll(): void {
    if (!this.persistent) return;
    this.saveRow();
    for (const route of this.subscriptionMap?.values() ?? []) this.store.saveSubscription(this.clientId, route.subscription);
    for (const message of this.inflightMessages()) this.saveMessage(message);
    for (const message of this.queue) this.saveMessage(message);
    for (const packetId of this.inboundQos2Set ?? []) this.store.addInboundQos2(this.clientId, packetId);
  }

  saveMessage(message: Outgoing): void {
    if (this.persistent && message.qos > 0) this.store.saveMessage(this.clientId, message);
  }

  deleteMessage(message: Outgoing): void {
    if (this.persistent && message.qos > 0) this.store.deleteMessage(this.clientId, message.seq);
  }

  saveSubscription(subscription: StoredSubscription): void {
    if (this.persistent) this.store.saveSubscription(this.clientId, subscription);
  }

  deleteSubscription(filter: string): void {
    if (this.persistent) this.store.deleteSubscription(this.clientId, filter);
  }

  addInboundQos2(packetId: number): void {
    this.inboundQos2.add(packetId);
    if (this.persistent) this.store.addInboundQos2(this.clientId, packetId);
  }

  deleteInboundQos2(packetId: number): boolean {
    const had = this.inboundQos2Set?.delete(packetId) ?? false;
    if (had && this.persistent) this.store.deleteInboundQos2(this.clientId, packetId);
    return had;
  }

  clearExpiryTimer(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  clearTimers(): void {
    this.clearExpiryTimer();
    clearTimeout(this.willTimer);
    this.willTimer = undefined;
  }
}
