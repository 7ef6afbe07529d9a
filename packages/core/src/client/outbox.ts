import type { PublishAckPacket } from '../codec/packets.ts';
import { MqttError } from '../errors.ts';
import { validateTopicName } from '../topics/validate.ts';
import { toBytes } from './connect-packet.ts';
import { PublishError, QueueFullError } from './errors.ts';
import type { ClientHost, ClientSession } from './features.ts';
import { OfflineQueue } from './offline-queue.ts';
import { type PendingPublish, Publication, Session } from './session.ts';
import type { PublishOptions, ServerCapabilities, StoredPublish } from './types.ts';
import { SESSION_ENCODERS } from './wire-codec.ts';

/** A publish waiting in the offline queue; `stored` when it was written to the message store. */
interface QueuedPublish extends PendingPublish {
  stored?: boolean;
}

/**
 * The client's `session` feature: everything on its way out, the offline queue in front of the session's in-flight
 * window, written through to the message store and restored from it (an earlier page's publishes go first); and
 * the inbound half of QoS 2.
 */
export class Outbox implements ClientSession {
  readonly session: Session;
  readonly encoders = SESSION_ENCODERS;
  readonly #queue: OfflineQueue<QueuedPublish>;
  readonly #host: ClientHost;
  /** Resolves once the store's messages are back in the queue and the session. */
  readonly loaded: Promise<void>;
  #seq: number;

  constructor(host: ClientHost) {
    const { options } = host;
    this.#host = host;
    // Sequence numbers order stored messages across reloads: start above anything stored before.
    this.#seq = host.clock.now() * 1000;
    this.#queue = new OfflineQueue(options.offlineQueue?.limit, options.offlineQueue?.overflow);
    this.session = new Session(
      { send: host.send, save: (message) => this.#save(message), forget: (message) => this.#forget(message) },
      host.version,
      host.ids,
      host.explain,
    );
    const { store } = options;
    this.loaded = store === undefined ? Promise.resolve() : store.load().then((stored) => this.#restore(stored));
  }

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      validateTopicName(topic);
      const qos = options.qos ?? 0;
      const retain = options.retain ?? false;
      const capabilities = this.#host.capabilities();
      const refusal = capabilities === undefined ? 0 : qos > capabilities.maximumQoS ? 0x9b : retain && !capabilities.retainAvailable ? 0x9a : 0;
      if (refusal !== 0) throw new PublishError(refusal, topic, undefined, this.#host.explain);
      const message: StoredPublish = { seq: this.#seq++, topic, payload: toBytes(payload), qos, retain };
      if (this.#host.version === 5 && options.properties !== undefined) message.properties = options.properties;
      this.#add(new Publication(message, resolve, reject), this.#host.connected());
    });
  }

  resume(capabilities: ServerCapabilities, sessionPresent: boolean): void {
    // 3.1.1 servers cannot announce a limit, yet mosquitto silently drops QoS 1/2 publishes beyond its
    // max_inflight_messages (20 by default) while acknowledging them: stay within a window there too.
    this.session.receiveMaximum = Math.min(
      capabilities.receiveMaximum,
      this.#host.options.maxInflight ?? (this.#host.version === 4 ? 20 : 65_535),
    );
    this.session.resume(sessionPresent);
    this.pump();
  }

  acknowledged(packet: PublishAckPacket<'puback' | 'pubrec' | 'pubrel' | 'pubcomp'>): void {
    const { packetId } = packet;
    if (packet.type === 'pubrel') {
      const known = this.session.inboundQos2.delete(packetId);
      this.#host.send(
        !known && this.#host.version === 5 ? { type: 'pubcomp', packetId, reasonCode: 0x92 } : { type: 'pubcomp', packetId },
      );
      return;
    }
    const reasonString = packet.properties?.reasonString;
    if (packet.type === 'pubrec') this.session.received(packetId, packet.reasonCode, reasonString);
    else this.session.complete(packetId, packet.reasonCode, reasonString);
    this.pump();
  }

  /** Exactly once: the id is held until PUBREL, so a DUP resend is acknowledged but not delivered again. */
  firstDelivery(packetId: number): boolean {
    const held = this.session.inboundQos2;
    if (held.has(packetId)) return false;
    held.add(packetId);
    return true;
  }

  /** Publishes waiting plus publishes in flight. */
  get count(): number {
    return this.#queue.length + this.session.inflight.size;
  }

  /** Sends now when nothing waits ahead and the window allows, otherwise queues (bounded while offline). */
  #add(pending: QueuedPublish, connected: boolean): void {
    if (connected && this.#queue.length === 0 && (pending.message.qos === 0 || this.session.hasRoom())) {
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

  /** Sends what waits, in order, as far as the server's Receive Maximum allows. */
  pump(): void {
    for (;;) {
      const next = this.#queue.peek();
      if (next === undefined || (next.message.qos > 0 && !this.session.hasRoom())) break;
      this.#queue.shift();
      this.#transmit(next);
    }
    this.#host.changed();
  }

  /** Rejects every pending publish (the client closed); stored ones stay in the store for the next client. */
  abandon(error: MqttError): void {
    for (const pending of this.#queue.drain()) pending.settle?.(error);
    this.session.abandon(error);
  }

  #transmit(pending: QueuedPublish): void {
    try {
      this.session.send(pending);
    } catch (error) {
      if (pending.stored) this.#forget(pending.message);
      pending.settle?.(error instanceof MqttError ? error : new MqttError('ERROR', `Sending the publish failed: ${String(error)}`));
      return;
    }
    if (pending.message.qos === 0) {
      if (pending.stored) this.#forget(pending.message);
      pending.settle?.();
    }
  }

  #save(message: StoredPublish): void {
    this.#host.options.store?.put(message).catch(reportStoreError);
  }

  #forget(message: StoredPublish): void {
    this.#host.options.store?.delete(message.seq).catch(reportStoreError);
  }

  /** In-flight messages keep their packet id (for a DUP resend); queued ones go to the front, in order. */
  #restore(stored: StoredPublish[]): void {
    const waiting: QueuedPublish[] = [];
    for (const message of stored) {
      if (message.seq >= this.#seq) this.#seq = message.seq + 1;
      const pending: QueuedPublish = { message, stored: true };
      if (message.packetId !== undefined) this.session.restore(pending);
      if (message.packetId === undefined) waiting.push(pending);
    }
    this.#queue.unshift(waiting);
    this.#host.changed();
  }
}

/** A failing store must not break publishing; its error surfaces as an uncaught error. */
function reportStoreError(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/** The `session` feature for `createClient`: publishing at QoS 0/1/2, the offline queue and store, inbound QoS 2. */
export const session = (host: ClientHost): ClientSession => new Outbox(host);
