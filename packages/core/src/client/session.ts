import type { PublishAckPacket, PublishPacket, QoS } from '../codec/packets.ts';
import { int } from '../codec/validate.ts';
import { InvalidArgumentError, type MqttError, ProtocolError } from '../errors.ts';
import { validateTopicName } from '../topics/validate.ts';
import { toBytes } from './connect-packet.ts';
import { asMqttError, PublishError, QueueFullError } from './errors.ts';
import type { ClientHost, ClientSession } from './features.ts';
import { OfflineQueue } from './offline-queue.ts';
import type { PublishOptions, ServerCapabilities, StoredPublish } from './types.ts';
import { SESSION_ENCODERS } from './wire-codec.ts';

/** An outgoing publish and the promise waiting for it (absent for messages restored from a store). */
export interface PendingPublish {
  message: StoredPublish;
  settle?: ((error?: MqttError) => void) | undefined;
  /** Written through to the message store while it waits in the queue. */
  stored?: boolean;
}

/**
 * A publish the application made: settles the promise `publish()` returned. A class rather than a closure per
 * publish: one object, and the same shape for every message (the QoS 1 hot path makes thousands a second).
 */
class Publication implements PendingPublish {
  stored = false;
  constructor(
    readonly message: StoredPublish,
    private readonly resolve: () => void,
    private readonly reject: (error: MqttError) => void,
  ) {}

  settle(error?: MqttError): void {
    if (error === undefined) this.resolve();
    else this.reject(error);
  }
}

/**
 * The client side of the MQTT session (the `session` feature): outgoing QoS 1/2 publishes in flight by packet
 * id (in send order, so they are re-sent in order) within the server's Receive Maximum, the offline queue in
 * front of that window, written through to the message store and restored from it (an earlier page's
 * publishes go first); and inbound QoS 2 ids held until PUBREL.
 */
export class Session implements ClientSession {
  readonly encoders = SESSION_ENCODERS;
  /** Resolves once the store's messages are back in the queue and in flight. */
  readonly loaded: Promise<void>;
  /** Outgoing QoS 1/2 publishes by packet id; Map order is send order. */
  readonly #inflight = new Map<number, PendingPublish>();
  /** Inbound QoS 2 packet ids delivered to the application and not yet released [MQTT-4.3.3-10]. */
  readonly #inboundQos2 = new Set<number>();
  /** The server's Receive Maximum: how many QoS 1/2 publishes may be unacknowledged at once [MQTT-4.9.0-2]. */
  #receiveMaximum = 65_535;
  /**
   * In-flight ids not yet re-sent on this connection, in send order: they keep their id but take a slot of the
   * window only once re-sent, so a reconnect that lowers Receive Maximum re-sends no more than it allows.
   */
  #resend = new Set<number>();
  /** The server kept the session: re-sent PUBLISHes carry DUP. */
  #dup = false;
  readonly #queue: OfflineQueue<PendingPublish>;
  readonly #host: ClientHost;
  #seq: number;

  constructor(host: ClientHost) {
    const { options } = host;
    this.#host = host;
    // Sequence numbers order stored messages across reloads: start above anything stored before.
    this.#seq = host.clock.now() * 1000;
    this.#queue = new OfflineQueue(options.offlineQueue?.limit, options.offlineQueue?.overflow);
    const { store } = options;
    this.loaded = store === undefined ? Promise.resolve() : store.load().then((stored) => this.#restore(stored));
  }

  /** Publishes waiting plus publishes in flight. */
  get count(): number {
    return this.#queue.length + this.#inflight.size;
  }

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      validateTopicName(topic);
      // Aliases are per connection and the client assigns them (topicAliases); one of the caller's could exceed the
      // server's maximum [MQTT-3.3.2-9] or rebind an alias the client gave another topic. Subscription identifiers
      // are the server's to add [MQTT-3.3.4-6].
      for (const name of ['topicAlias', 'subscriptionIdentifier'] as const) {
        if (options.properties?.[name] !== undefined) throw new InvalidArgumentError(`properties.${name}`, 'a publish may not set it; leave it out');
      }
      const qos = int(options.qos ?? 0, 'qos', 0, 2) as QoS;
      const message: StoredPublish = { seq: this.#seq++, topic, payload: toBytes(payload), qos, retain: options.retain ?? false };
      if (this.#host.version === 5 && options.properties !== undefined) message.properties = options.properties;
      this.#allowed(message);
      this.#add(new Publication(message, resolve, reject), this.#host.connected());
    });
  }

  /**
   * A CONNACK accepted us: adopt the server's window, then re-send every unacknowledged PUBLISH (DUP when the
   * server kept the session) and PUBREL in their original order [MQTT-4.4.0-1], then what waits. Without a
   * session the server has no state, so the PUBLISH goes again as new; a QoS 2 message already released still
   * needs its PUBREL answered, which completes it.
   */
  resume(capabilities: ServerCapabilities, sessionPresent: boolean): void {
    // 3.1.1 servers cannot announce a limit, yet mosquitto silently drops QoS 1/2 publishes beyond its
    // max_inflight_messages (20 by default) while acknowledging them: stay within a window there too.
    this.#receiveMaximum = Math.min(capabilities.receiveMaximum, this.#host.options.maxInflight ?? (this.#host.version === 4 ? 20 : 65_535));
    if (!sessionPresent) this.#inboundQos2.clear();
    this.#dup = sessionPresent;
    this.#resend = new Set(this.#inflight.keys());
    this.#pump();
  }

  acknowledged(packet: PublishAckPacket<'puback' | 'pubrec' | 'pubrel' | 'pubcomp'>): void {
    const { packetId } = packet;
    const v5 = this.#host.version === 5;
    if (packet.type === 'pubrel') {
      const known = this.#inboundQos2.delete(packetId);
      this.#host.send(!known && v5 ? { type: 'pubcomp', packetId, reasonCode: 0x92 } : { type: 'pubcomp', packetId });
      return;
    }
    const { reasonCode = 0 } = packet;
    const pending = this.#inflight.get(packetId);
    // QoS 1 is answered by PUBACK, QoS 2 by PUBREC then PUBCOMP [MQTT-3.3.4-1]; anything else is a protocol error
    // (the message stays in flight for the next connection) rather than a false success or a flow that never ends.
    // Except a 3.1.1 PUBACK for QoS 2, which ends the flow: RabbitMQ 3.x takes QoS 2 as QoS 1 and answers so, and
    // 3.1.1 has no Maximum QoS in CONNACK to warn us (aborting would resend it for ever).
    if (pending !== undefined && (packet.type === 'puback') !== (pending.message.qos === 1) && (v5 || packet.type !== 'puback')) {
      return this.#host.abort(new ProtocolError(`The server answered a QoS ${pending.message.qos} publish with ${packet.type}`), true);
    }
    if (packet.type === 'pubrec' && reasonCode < 0x80) {
      // The server has the QoS 2 message: answer PUBREL (again, if this PUBREC is a resend).
      if (pending !== undefined && !pending.message.released) {
        pending.message.released = true;
        this.#save(pending.message);
      }
      // An unknown id (e.g. acknowledged before a reload) still gets a PUBREL so the server can finish its side.
      this.#host.send(pending === undefined && v5 ? { type: 'pubrel', packetId, reasonCode: 0x92 } : { type: 'pubrel', packetId });
    } else if (pending !== undefined) {
      // PUBACK, PUBCOMP, or a failed PUBREC (5.0: no PUBREL follows [MQTT-4.3.3-4 note]): the flow is over.
      this.#inflight.delete(packetId);
      this.#resend.delete(packetId);
      this.#host.ids.release(packetId);
      this.#forget(pending.message);
      // 5.0: PUBCOMP 0x92 (id not found) after our PUBREL means the server already finished this flow while we
      // were away; the PUBREC we had proves it took the message, so this is recovery, not failure.
      const failed = reasonCode >= 0x80 && !(reasonCode === 0x92 && pending.message.released === true);
      pending.settle?.(failed ? new PublishError(reasonCode, pending.message.topic, packet.properties?.reasonString, this.#host.explain) : undefined);
    }
    this.#pump();
  }

  /** Exactly once: the id is held until PUBREL, so a DUP resend is acknowledged but not delivered again. */
  firstDelivery(packetId: number): boolean {
    if (this.#inboundQos2.has(packetId)) return false;
    // Our 5.0 Receive Maximum bounds the QoS 2 messages held until PUBREL (QoS 1 is acknowledged at once): the server
    // must not exceed it [MQTT-3.3.4-9]. The id is not held, so the server's re-send after reconnecting is delivered.
    if (this.#inboundQos2.size >= ((this.#host.version === 5 && this.#host.options.properties?.receiveMaximum) || 65_535)) {
      this.#host.abort(new ProtocolError('The server exceeded properties.receiveMaximum', 0x93), true);
      return false;
    }
    this.#inboundQos2.add(packetId);
    return true;
  }

  /** Rejects every pending publish (the client closed); stored ones stay in the store for the next client. */
  abandon(error: MqttError): void {
    for (const pending of this.#queue.drain()) pending.settle?.(error);
    for (const [id, pending] of this.#inflight) {
      this.#host.ids.release(id);
      pending.settle?.(error);
    }
    this.#inflight.clear();
    this.#resend.clear();
  }

  #hasRoom(): boolean {
    return this.#inflight.size - this.#resend.size < this.#receiveMaximum;
  }

  /** Sends now when nothing waits ahead and the window allows, otherwise queues (bounded while offline). */
  #add(pending: PendingPublish, connected: boolean): void {
    if (connected && this.#queue.length === 0 && this.#resend.size === 0 && (pending.message.qos === 0 || this.#hasRoom())) {
      this.#transmit(pending);
    } else {
      const refused = this.#queue.push(pending, !connected);
      if (refused !== pending) {
        pending.stored = this.#host.options.store !== undefined;
        this.#save(pending.message);
      }
      if (refused !== undefined) {
        if (refused.stored) this.#forget(refused.message);
        refused.settle?.(new QueueFullError(this.#queue.limit, refused.message.topic));
      }
    }
    this.#host.changed();
  }

  /**
   * Sends what waits, in order, as far as the server's Receive Maximum allows: first the in-flight messages not yet
   * re-sent on this connection (PUBLISH, DUP when the server kept the session, or PUBREL) [MQTT-4.4.0-1], then the queue.
   */
  #pump(): void {
    for (;;) {
      const [resend] = this.#resend;
      const next = resend === undefined ? this.#queue.peek() : this.#inflight.get(resend);
      if (next === undefined || (next.message.qos > 0 && !this.#hasRoom())) break;
      if (resend === undefined) this.#queue.shift();
      else this.#resend.delete(resend);
      this.#transmit(next, resend !== undefined && this.#dup);
    }
    this.#host.changed();
  }

  /**
   * Sends a publish (or, for a released QoS 2 message being re-sent, its PUBREL); QoS 1/2 get a packet id and stay
   * in flight until acknowledged, QoS 0 is done once written.
   */
  #transmit(pending: PendingPublish, dup = false): void {
    const { message } = pending;
    try {
      // What waited (queued before CONNACK, or in flight to another server) meets this server's limits now.
      if (!message.released) this.#allowed(message);
      if (message.qos > 0 && (message.packetId === undefined || this.#inflight.get(message.packetId) !== pending)) {
        message.packetId = this.#host.ids.allocate();
        this.#inflight.set(message.packetId, pending);
      }
      this.#host.send(message.released ? { type: 'pubrel', packetId: message.packetId as number } : toPacket(message, dup, this.#host.version));
    } catch (error) {
      // Not sent (too large for the server, say): it must not hold an id or a slot of the window.
      if (message.packetId !== undefined && this.#inflight.get(message.packetId) === pending) {
        this.#inflight.delete(message.packetId);
        this.#host.ids.release(message.packetId);
        delete message.packetId;
      }
      // Stored while queued, or after an earlier send (a re-send the new server refuses): it must not come back.
      this.#forget(message);
      pending.settle?.(asMqttError(error, 'Sending the publish failed'));
      return;
    }
    if (message.qos > 0) {
      this.#save(message);
    } else {
      if (pending.stored) this.#forget(message);
      pending.settle?.();
    }
  }

  /**
   * Throws the PublishError the server would answer with when the current (or last) server's CONNACK does not allow
   * the message: a QoS above Maximum QoS [MQTT-3.2.2-11], retain without Retain Available [MQTT-3.2.2-14].
   */
  #allowed({ qos, retain, topic }: StoredPublish): void {
    const capabilities = this.#host.capabilities();
    const refusal = capabilities === undefined ? 0 : qos > capabilities.maximumQoS ? 0x9b : retain && !capabilities.retainAvailable ? 0x9a : 0;
    if (refusal !== 0) throw new PublishError(refusal, topic, undefined, this.#host.explain);
  }

  /** Persists a changed message (queued, packet id assigned, PUBREC received). */
  #save(message: StoredPublish): void {
    this.#host.options.store?.put(message).catch(reportStoreError);
  }

  /** Forgets a finished message. */
  #forget(message: StoredPublish): void {
    this.#host.options.store?.delete(message.seq).catch(reportStoreError);
  }

  /** In-flight messages keep their packet id (for a DUP resend); queued ones go to the front, in order. */
  #restore(stored: StoredPublish[]): void {
    const waiting: PendingPublish[] = [];
    for (const message of stored) {
      if (message.seq >= this.#seq) this.#seq = message.seq + 1;
      const pending: PendingPublish = { message, stored: true };
      const id = message.packetId;
      if (id !== undefined && !this.#host.ids.has(id)) {
        this.#host.ids.reserve(id);
        this.#inflight.set(id, pending);
      } else {
        delete message.packetId;
        waiting.push(pending);
      }
    }
    this.#queue.unshift(waiting);
    this.#host.changed();
  }
}

/** The PUBLISH packet for a stored message. */
function toPacket(message: StoredPublish, dup: boolean, version: number): PublishPacket {
  const packet: PublishPacket = { type: 'publish', topic: message.topic, payload: message.payload, qos: message.qos, retain: message.retain, dup };
  if (message.packetId !== undefined && message.qos > 0) packet.packetId = message.packetId;
  if (version === 5 && message.properties !== undefined) packet.properties = message.properties;
  return packet;
}

/** A failing store must not break publishing; its error surfaces as an uncaught error. */
function reportStoreError(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/** The `session` feature for `createClient`: publishing at QoS 0/1/2, the offline queue and store, inbound QoS 2. */
export const session = (host: ClientHost): ClientSession => new Session(host);
