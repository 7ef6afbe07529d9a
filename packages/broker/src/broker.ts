import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { encode, InvalidArgumentError, type Properties, type QoS } from '@mqttkit/core';
import { validateTopicName } from '@mqttkit/core/topics';
import { Client } from './client.ts';
import { deliver, drain, resume, wentOffline, type DeliveryContext } from './delivery.ts';
import { roomMade } from './publish-flow.ts';
import { disconnectClient } from './disconnect.ts';
import type { BrokerHooks, ClientInfo } from './hooks.ts';
import { ConnectRateLimiter, defaultLimits, type BrokerLimits } from './limits.ts';
import type { PacketLink } from './link.ts';
import { createLogger, type Logger } from './log.ts';
import type { BrokerMessage, Outgoing } from './message.ts';
import { Reason } from './reason-codes.ts';
import { RetainedMessages } from './retained.ts';
import { Router } from './router.ts';
import { NEVER_EXPIRES, Session } from './session.ts';
import { BrokerStats } from './stats.ts';
import { MemorySessionStore } from './store/memory.ts';
import type { SessionStore } from './store/types.ts';
import { restoreState } from './restore.ts';
import { WireLink, type Transport } from './wire.ts';
import { cancelDelayedWill, publishWill, scheduleWill, willAttached, willDetached } from './will.ts';
import { watchKeepAlive } from './keepalive.ts';

export interface BrokerCoreOptions {
  limits?: Partial<BrokerLimits>;
  hooks?: BrokerHooks;
  logger?: Logger;
  store?: SessionStore;
  /**
   * Queue QoS 0 messages for offline persistent sessions, as mosquitto's `queue_qos0_messages`. Default false
   * (mosquitto's default): QoS 0 is "at most once", and a reconnecting dashboard then gets fresh values instead of
   * up to `limits.maxQueued` stale ones. When true, they share the session's queue with QoS 1/2 (the oldest QoS 0
   * is dropped first when it is full) and are held in memory only: a restart loses them, never QoS 1/2.
   */
  queueQos0Messages?: boolean;
}

/** A message published by the application through `broker.publish`. */
export interface PublishOptions {
  topic: string;
  payload: Uint8Array | string;
  qos?: QoS;
  retain?: boolean;
  properties?: Properties;
}

export interface BrokerEvents {
  /** A client's CONNECT was accepted. */
  connect: [client: ClientInfo];
  /** An accepted client's connection ended. */
  disconnect: [client: ClientInfo];
  /** A message entered the broker (from a client, `$SYS` excluded, or from `broker.publish`). */
  publish: [message: BrokerMessage, client: ClientInfo | undefined];
}

/**
 * The protocol engine: sessions, routing, retained messages, wills. It does not know its transports:
 * `handle(transport)` takes any byte stream (TCP, WebSocket, a test pair), `attach(link)` any packet stream.
 */
export class Broker extends EventEmitter<BrokerEvents> implements DeliveryContext {
  readonly limits: BrokerLimits;
  readonly hooks: BrokerHooks;
  readonly log: Logger;
  readonly store: SessionStore;
  readonly queueQos0Messages: boolean;
  readonly stats = new BrokerStats();
  readonly sessions = new Map<string, Session>();
  readonly router = new Router();
  readonly retained: RetainedMessages;
  /** Accepted connections by client id. */
  private readonly connectedClients = new Map<string, Client>();
  /** Every open connection, accepted or not. */
  private readonly connections = new Set<Client>();
  private readonly rateLimiter: ConnectRateLimiter;
  private closing = false;

  constructor(options: BrokerCoreOptions = {}) {
    super();
    this.limits = { ...defaultLimits, ...options.limits };
    this.hooks = options.hooks ?? {};
    this.log = options.logger ?? createLogger('warn');
    this.store = options.store ?? new MemorySessionStore();
    this.queueQos0Messages = options.queueQos0Messages ?? false;
    this.retained = new RetainedMessages(this.store);
    this.rateLimiter = new ConnectRateLimiter(this.limits.connectRatePerIp);
    restoreState(this);
  }

  /** Serves MQTT over a byte transport until it closes. */
  handle(transport: Transport): Client {
    return this.attach(new WireLink(transport, this.limits, this.stats));
  }

  /** Serves MQTT over a packet link (the seam tests use). */
  attach(link: PacketLink): Client {
    const client = new Client(this, link);
    if (this.closing) {
      client.close();
      return client;
    }
    this.connections.add(client);
    this.stats.connectionsTotal++;
    // A socket that never completes CONNECT must not hold a connection slot forever.
    client.keepaliveTimer = setTimeout(
      this.guarded('connect timeout', () => {
        if (client.state !== 'awaiting-connect' && client.state !== 'connecting') return;
        this.log.info('no CONNECT in time, closing', { address: client.remoteAddress, timeoutMs: this.limits.connectTimeoutMs });
        client.close();
      }),
      this.limits.connectTimeoutMs,
    ).unref();
    return client;
  }

  get connectedCount(): number {
    return this.connectedClients.size;
  }

  now(): number {
    return Date.now();
  }

  admitConnection(address: string): boolean {
    return this.rateLimiter.admit(address);
  }

  assignClientId(): string {
    return `mqttkit-${randomBytes(9).toString('base64url')}`;
  }

  /** Topic names that passed validation and limits (bounded): repeated topics skip the checks. */
  readonly knownTopics = new Set<string>();

  rememberTopic(topic: string): void {
    if (this.knownTopics.size >= 10_000) this.knownTopics.clear();
    this.knownTopics.add(topic);
  }

  /** Why a topic name or filter breaks a configured limit, or undefined. */
  topicLimitProblem(topic: string): string | undefined {
    if (Buffer.byteLength(topic) > this.limits.maxTopicLength) return `longer than ${this.limits.maxTopicLength} bytes`;
    let levels = 1;
    for (let i = 0; i < topic.length; i++) if (topic.charCodeAt(i) === 47) levels++;
    if (levels > this.limits.maxTopicLevels) return `more than ${this.limits.maxTopicLevels} levels`;
    return undefined;
  }

  /** Who holds `clientId` now: its connected client or its stored session's last owner; undefined if free. */
  clientIdHolder(clientId: string): { username: string | undefined } | undefined {
    return this.connectedClients.get(clientId) ?? this.sessions.get(clientId)?.owner;
  }

  /**
   * Session takeover (MQTT-3.1.4-3: the old connection is closed, 5.0 with 0x8E) and clean start (MQTT-3.1.2-4)
   * or restore (MQTT-3.1.2-5). Returns session present.
   */
  openSession(client: Client, clean: boolean, expiryInterval: number): boolean {
    const clientId = client.clientId;
    const previous = this.connectedClients.get(clientId);
    if (previous && previous !== client) {
      this.log.info('session taken over', { clientId, address: client.remoteAddress, previous: previous.remoteAddress });
      disconnectClient(previous, Reason.SessionTakenOver, 'another connection took over this client id');
    }
    let session = this.sessions.get(clientId);
    const present = this.store.transaction(() => {
      if (session && clean) {
        this.endSession(session);
        session = undefined;
      }
      const existed = session !== undefined;
      // A delayed will keeps its timer until the CONNECT is accepted (`connected`): a refused one cancels nothing.
      if (session) session.clearExpiryTimer();
      else {
        session = new Session(clientId, expiryInterval, this.store);
        this.sessions.set(clientId, session);
      }
      // A snapshot, not the Client: an offline session must not keep a dead socket and its buffers alive.
      session.owner = { clientId: client.clientId, username: client.username, remoteAddress: client.remoteAddress, protocolVersion: client.protocolVersion };
      this.setSessionExpiry(session, expiryInterval);
      session.disconnectedAt = undefined;
      session.saveRow();
      return existed;
    });
    // Attached before anything else can fail, so that `clientClosed` detaches the session again if the CONNECT does.
    session!.client = client;
    client.session = session;
    this.connectedClients.set(clientId, client);
    willAttached(this.store, client); // stored before the CONNACK: a broker that dies still owes it
    return present;
  }

  /** CONNACK was sent: start the keepalive watch and hand over whatever the session holds. */
  connected(client: Client): void {
    client.state = 'connected';
    clearTimeout(client.keepaliveTimer); // the connect timeout
    client.keepaliveTimer = undefined; // a cleared Timeout kept referenced still costs an idle connection ~200 B
    cancelDelayedWill(this.store, client.session!);
    watchKeepAlive(this, client);
    this.log.info('client connected', { clientId: client.clientId, address: client.remoteAddress, version: client.protocolVersion === 5 ? '5.0' : '3.1.1', username: client.username });
    this.notify('connect', client);
  }

  /** Resend unacknowledged messages and deliver the queued ones to a (re)connected session. */
  resendAndDeliverQueued(client: Client): void {
    this.store.transaction(() => resume(this, client.session!));
  }

  setSessionExpiry(session: Session, expiryInterval: number): void {
    const wasStored = session.stored;
    session.expiryInterval = expiryInterval;
    if (wasStored && !session.persistent) {
      this.store.deleteSession(session.clientId);
      session.stored = false;
    } else if (!wasStored && session.persistent) session.saveAll();
    else session.saveRow();
  }

  /**
   * The transport closed, whoever closed it: will, session expiry, bookkeeping. Idempotent. A CONNECT that failed
   * after its session was opened (the store failing while its will is saved: CONNACK 0x80) leaves the session as
   * a disconnect does, but its will is dropped: only an accepted connection's will is published (MQTT-3.1.2-8).
   */
  clientClosed(client: Client): void {
    if (client.state === 'closed') return;
    const wasAccepted = client.state === 'connected';
    client.state = 'closed';
    clearTimeout(client.keepaliveTimer);
    this.connections.delete(client);
    const session = client.session;
    if (!session || session.client !== client) return;
    this.connectedClients.delete(client.clientId);
    session.client = undefined;
    const publishesWill = wasAccepted && client.willOnClose && client.will !== undefined;
    willDetached(this.store, client, publishesWill);
    if (wasAccepted) this.log.info('client disconnected', { clientId: client.clientId, will: publishesWill });
    else this.log.info('CONNECT failed, session detached', { clientId: client.clientId, address: client.remoteAddress });
    if (publishesWill) scheduleWill(this, client, session);
    if (session.expiryInterval === 0) this.endSession(session);
    else {
      wentOffline(this, session);
      session.disconnectedAt = Date.now();
      session.saveRow();
      this.scheduleExpiry(session, session.expiryInterval * 1000);
    }
    if (wasAccepted) this.notify('disconnect', client);
  }

  scheduleExpiry(session: Session, delayMs: number): void {
    if (session.expiryInterval === NEVER_EXPIRES) return;
    clearTimeout(session.expiryTimer);
    // setTimeout holds at most ~24.8 days; longer expiries re-arm.
    const step = Math.min(delayMs, 0x7fffffff);
    session.expiryTimer = setTimeout(
      this.guarded('session expiry', () => {
        if (session.client) return;
        if (delayMs > step) this.scheduleExpiry(session, delayMs - step);
        else {
          this.log.info('session expired', { clientId: session.clientId });
          this.store.transaction(() => this.endSession(session));
        }
      }),
      step,
    ).unref();
  }

  /** Removes a session and everything it holds; a delayed will still pending goes out now (MQTT-3.1.3-9). */
  endSession(session: Session): void {
    const pendingWill = session.pendingWill;
    session.clearTimers();
    roomMade(session); // publishers waiting on its queue are acknowledged
    session.pendingWill = undefined;
    this.router.removeAll(session);
    if (session.stored) this.store.deleteSession(session.clientId);
    session.stored = false;
    if (this.sessions.get(session.clientId) === session) this.sessions.delete(session.clientId);
    if (pendingWill) void publishWill(this, pendingWill);
  }

  /**
   * Retains (or clears) and routes one message; returns how many sessions it was delivered to. Trusts its input:
   * checked by the PUBLISH handler, by CONNECT for wills, by `publish` for the application.
   */
  publishMessage(message: BrokerMessage, from: ClientInfo | undefined, persistRetained = true): number {
    if (message.retain) this.retained.set(message, persistRetained);
    if (from || persistRetained) this.notify('publish', message, from);
    const deliveries = this.router.match(message.topic, message.publisherId);
    const authorizeRead = this.hooks.authorizeRead;
    let count = 0;
    for (const delivery of deliveries) {
      const session = delivery.session;
      if (authorizeRead && !this.readAllowed(authorizeRead, session, message.topic)) continue;
      const qos = (message.qos < delivery.qos ? message.qos : delivery.qos) as QoS;
      // MQTT-3.3.1-12/13: live messages carry RETAIN only for retain-as-published subscriptions.
      deliver(this, session, message, qos, delivery.retainAsPublished && message.retain, delivery.subscriptionIds);
      count++;
    }
    return count;
  }

  /** Retained messages matching a new subscription, RETAIN set (MQTT-3.3.1-8). */
  deliverRetained(session: Session, filter: string, grantedQos: QoS, subscriptionId: number | undefined): void {
    const authorizeRead = this.hooks.authorizeRead;
    this.store.transaction(() => {
      for (const message of this.retained.match(filter, Date.now())) {
        if (authorizeRead && !this.readAllowed(authorizeRead, session, message.topic)) continue;
        const qos = (message.qos < grantedQos ? message.qos : grantedQos) as QoS;
        deliver(this, session, message, qos, true, subscriptionId !== undefined ? [subscriptionId] : undefined);
      }
    });
  }

  private readAllowed(authorizeRead: NonNullable<BrokerHooks['authorizeRead']>, session: Session, topic: string): boolean {
    const owner = session.client ?? session.owner;
    if (!owner) return false;
    try {
      return authorizeRead(owner, topic);
    } catch (error) {
      this.log.error('authorizeRead hook failed', { clientId: session.clientId, error: String(error) });
      return false;
    }
  }

  drainSession(session: Session): void {
    this.store.transaction(() => drain(this, session));
  }

  dropped(session: Session, message: Outgoing, why: string): void {
    this.stats.messagesDropped++;
    this.log.debug('message dropped', { clientId: session.clientId, topic: message.message.topic, why });
  }

  /**
   * Publishes a message as the broker itself (no client): retained and routed like any other. Input a subscriber
   * could not be sent (a topic filter as topic, QoS 3, ...) throws core's `InvalidArgumentError` naming the field,
   * before anything is retained or sent.
   */
  publish(options: PublishOptions): number {
    validatePublish(options);
    const payload = typeof options.payload === 'string' ? new TextEncoder().encode(options.payload) : options.payload;
    const message: BrokerMessage = { topic: options.topic, payload, qos: options.qos ?? 0, retain: options.retain ?? false };
    if (options.properties) message.properties = options.properties;
    const expiry = options.properties?.messageExpiryInterval;
    if (expiry !== undefined) message.expiresAt = Date.now() + expiry * 1000;
    return this.store.transaction(() => this.publishMessage(message, undefined));
  }

  /** Emits an event; a listener that throws is logged and confined (it never fails a connection or the process). */
  private notify<K extends keyof BrokerEvents>(event: K, ...args: BrokerEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: BrokerEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.log.error(`${event} listener failed`, { error: error instanceof Error ? error.stack ?? error.message : String(error) });
    }
  }

  /** Wraps a timer callback: an error there is logged, never thrown into the event loop. */
  guarded(what: string, work: () => void): () => void {
    return () => {
      try {
        work();
      } catch (error) {
        this.log.error(`${what} failed`, { error: error instanceof Error ? error.stack ?? error.message : String(error) });
      }
    };
  }

  /**
   * Stops accepting, disconnects every client (5.0: 0x8B; wills are published as for any server-side close),
   * and closes the store.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const client of [...this.connections]) disconnectClient(client, Reason.ServerShuttingDown, 'server shutting down');
    // Wills awaiting hooks settle within a turn or two.
    await new Promise((resolve) => setImmediate(resolve));
    for (const session of this.sessions.values()) session.clearTimers();
    this.store.close();
  }
}

/**
 * `broker.publish`'s input, checked at the boundary: every subscriber's encoder would throw on it otherwise and
 * its connection fail (0x80), and a retained one would fail every later subscriber too. The topic by core's topic
 * name rules; properties, when there are any, by encoding them once as core's encoder checks them (response
 * topic, user properties, ...).
 */
function validatePublish(options: PublishOptions): void {
  validateTopicName(options.topic);
  const qos = options.qos;
  if (qos !== undefined && qos !== 0 && qos !== 1 && qos !== 2) throw new InvalidArgumentError('qos', `must be 0, 1 or 2, not ${String(qos)}`);
  const properties = options.properties;
  if (!properties) return;
  for (const perHop of ['topicAlias', 'subscriptionIdentifier'] as const) {
    if (properties[perHop] !== undefined) throw new InvalidArgumentError(`properties.${perHop}`, 'is set by the broker for each subscriber: leave it out');
  }
  encode({ type: 'publish', topic: 't', payload: NO_PAYLOAD, qos: 0, retain: false, dup: false, properties }, 5);
}

const NO_PAYLOAD = new Uint8Array(0);
