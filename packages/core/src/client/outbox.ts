import type { Packet, ProtocolVersion } from '../codec/packets.ts';
import { MqttError } from '../errors.ts';
import { QueueFullError } from './errors.ts';
import { OfflineQueue, type OverflowPolicy } from './offline-queue.ts';
import { type PendingPublish, Session } from './session.ts';
import type { MessageStore, StoredPublish } from './types.ts';

/** A publish waiting in the offline queue; `stored` when it was written to the message store. */
interface QueuedPublish extends PendingPublish {
  stored?: boolean;
}

export interface OutboxOptions {
  version: ProtocolVersion;
  send(packet: Packet): void;
  store: MessageStore | undefined;
  limit: number | undefined;
  overflow: OverflowPolicy | undefined;
  /** The first sequence number (above anything an earlier page stored). */
  firstSeq: number;
  /** Called when the number of queued or in-flight publishes may have changed. */
  changed(): void;
}

/**
 * Everything on its way out: the offline queue in front of the session's in-flight window, written through to the
 * message store, and restored from it (an earlier page's publishes go first).
 */
export class Outbox {
  readonly session: Session;
  readonly #queue: OfflineQueue<QueuedPublish>;
  readonly #options: OutboxOptions;
  /** Resolves once the store's messages are back in the queue and the session. */
  readonly loaded: Promise<void>;
  #seq: number;

  constructor(options: OutboxOptions) {
    this.#options = options;
    this.#seq = options.firstSeq;
    this.#queue = new OfflineQueue(options.limit, options.overflow);
    this.session = new Session(
      { send: options.send, save: (message) => this.#save(message), forget: (message) => this.#forget(message) },
      options.version,
    );
    const { store } = options;
    this.loaded = store === undefined ? Promise.resolve() : store.load().then((stored) => this.#restore(stored));
  }

  /** Publishes waiting plus publishes in flight. */
  get count(): number {
    return this.#queue.length + this.session.inflight.size;
  }

  /** A new message's sequence number. */
  nextSeq(): number {
    return this.#seq++;
  }

  /** Sends now when nothing waits ahead and the window allows, otherwise queues (bounded while offline). */
  add(pending: QueuedPublish, connected: boolean): void {
    if (connected && this.#queue.length === 0 && (pending.message.qos === 0 || this.session.hasRoom())) {
      this.#transmit(pending);
    } else {
      const refused = this.#queue.push(pending, !connected);
      if (refused !== pending) {
        pending.stored = this.#options.store !== undefined;
        this.#save(pending.message);
      }
      if (refused !== undefined) {
        if (refused.stored) this.#forget(refused.message);
        refused.settle?.(new QueueFullError(this.#queue.limit, refused.message.topic));
      }
    }
    this.#options.changed();
  }

  /** Sends what waits, in order, as far as the server's Receive Maximum allows. */
  pump(): void {
    for (;;) {
      const next = this.#queue.peek();
      if (next === undefined || (next.message.qos > 0 && !this.session.hasRoom())) break;
      this.#queue.shift();
      this.#transmit(next);
    }
    this.#options.changed();
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
    this.#options.store?.put(message).catch(reportStoreError);
  }

  #forget(message: StoredPublish): void {
    this.#options.store?.delete(message.seq).catch(reportStoreError);
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
    this.#options.changed();
  }
}

/** A failing store must not break publishing; its error surfaces as an uncaught error. */
function reportStoreError(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
