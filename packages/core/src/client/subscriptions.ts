import type { QoS, SubackPacket, SubscribePacket, Subscription, UnsubackPacket, UnsubscribePacket } from '../codec/packets.ts';
import type { MqttError } from '../errors.ts';
import { parseSharedSubscription } from '../topics/shared.ts';
import { TopicTrie } from '../topics/trie.ts';
import { validateTopicFilter } from '../topics/validate.ts';
import { SubscribeError } from './errors.ts';
import type { ClientHost } from './features.ts';
import { MessageCache } from './message-cache.ts';
import type { Message, MessageHandler, SubscribeOptions, SubscriptionHandle } from './types.ts';

/** What subscriptions need from the client. */
export type SubscriptionWire = Pick<ClientHost, 'version' | 'connected' | 'send' | 'ids' | 'explain' | 'capabilities' | 'clock'>;

/** One distinct filter and the handlers sharing it. */
interface Entry {
  filter: string;
  /** The filter messages are matched against (the inner filter of a `$share/group/filter`). */
  match: string;
  options: SubscribeOptions;
  handlers: Set<MessageHandler>;
  /** SUBSCRIBE sent on this connection (or acknowledged in a session the server kept). */
  sent: boolean;
  granted: QoS | undefined;
  ready: Promise<QoS>;
  resolve(qos: QoS): void;
  reject(error: MqttError): void;
  removal: unknown;
  /** 5.0: the subscription identifier sent with it (the caller's, or one we chose); a copy tagged with it is for this entry. */
  identifier: number | undefined;
}

/** What a SUBACK or UNSUBACK answers: the entry subscribed, or the filter unsubscribed. */
type PendingAck = Entry | string;

/**
 * Reference-counted subscriptions: one SUBSCRIBE per distinct filter however many handlers, UNSUBSCRIBE when the
 * last handler leaves (after a grace period, so an unmount/remount keeps the subscription), local dispatch
 * through a `TopicTrie` so each handler gets only what its filter matches, and the last message per topic cached
 * for late subscribers.
 */
export class Subscriptions {
  readonly #entries = new Map<string, Entry>();
  readonly #trie = new TopicTrie<Entry>();
  readonly #pending = new Map<number, PendingAck>();
  /** Filters left while offline that the server's session may still hold. */
  readonly #leftOffline = new Set<string>();
  #lastIdentifier = 0;
  readonly cache: MessageCache;

  readonly #wire: SubscriptionWire;
  readonly #gracePeriod: number;

  constructor(wire: SubscriptionWire, cacheLimit?: number, gracePeriod = 0) {
    this.#wire = wire;
    this.#gracePeriod = gracePeriod;
    this.cache = new MessageCache(cacheLimit);
  }

  add(filter: string, handler: MessageHandler, options: SubscribeOptions = {}): SubscriptionHandle {
    validateTopicFilter(filter);
    let entry = this.#entries.get(filter);
    if (entry === undefined) {
      entry = this.#create(filter, options);
    } else {
      if (entry.removal !== undefined) this.#wire.clock.clearTimeout(entry.removal);
      entry.removal = undefined;
      if (entry.granted !== undefined) this.#replay(entry, handler);
    }
    entry.handlers.add(handler);
    const current = entry;
    let removed = false;
    const handle = (() => {
      if (removed) return;
      removed = true;
      current.handlers.delete(handler);
      if (current.handlers.size === 0 && this.#entries.get(filter) === current) {
        current.removal = this.#wire.clock.setTimeout(() => this.#remove(current), this.#gracePeriod);
      }
    }) as SubscriptionHandle & { ready: Promise<QoS> };
    handle.ready = entry.ready;
    return handle;
  }

  #create(filter: string, options: SubscribeOptions): Entry {
    let resolve!: (qos: QoS) => void;
    let reject!: (error: MqttError) => void;
    const ready = new Promise<QoS>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody may await `ready`; a refusal must not become an unhandled rejection.
    ready.catch(() => {});
    const entry: Entry = {
      filter,
      match: parseSharedSubscription(filter)?.filter ?? filter,
      options,
      handlers: new Set(),
      sent: false,
      granted: undefined,
      ready,
      resolve,
      reject,
      removal: undefined,
      identifier: undefined,
    };
    this.#entries.set(filter, entry);
    this.#trie.add(entry.match, entry);
    this.#leftOffline.delete(filter);
    if (this.#wire.connected()) this.#subscribe(entry);
    return entry;
  }

  /** Hands a late handler the cached current values, after `subscribe()` has returned. */
  #replay(entry: Entry, handler: MessageHandler): void {
    // The trie already knows what the entry's filter matches (and the $-topic rule).
    const messages = this.cache.matching((topic) => this.#trie.match(topic).includes(entry));
    if (messages.length === 0) return;
    queueMicrotask(() => {
      for (const message of messages) if (entry.handlers.has(handler)) call(handler, message);
    });
  }

  #remove(entry: Entry): void {
    entry.removal = undefined;
    if (entry.handlers.size > 0 || this.#entries.get(entry.filter) !== entry) return;
    this.#forget(entry);
    this.cache.prune((topic) => this.#trie.match(topic).length > 0);
    if (!entry.sent) return;
    if (this.#wire.connected()) this.#unsubscribe(entry.filter);
    else this.#leftOffline.add(entry.filter);
  }

  /** Refused or never sent: the server will send nothing for it, so it stops existing here too; `ready` rejects. */
  #drop(entry: Entry, error: MqttError): void {
    if (this.#entries.get(entry.filter) === entry) this.#forget(entry);
    if (entry.removal !== undefined) this.#wire.clock.clearTimeout(entry.removal);
    entry.reject(error);
  }

  #forget(entry: Entry): void {
    this.#entries.delete(entry.filter);
    this.#trie.remove(entry.match, entry);
  }

  #subscribe(entry: Entry): void {
    const { filter } = entry;
    // noLocal, retainAsPublished and retainHandling are 5.0's; 3.1.1 gets the filter and QoS only.
    const { qos = 0, subscriptionIdentifier, ...v5 } = entry.options;
    const subscription: Subscription = this.#wire.version === 5 ? { ...v5, filter, qos } : { filter, qos };
    entry.sent = true;
    const packet: SubscribePacket = { type: 'subscribe', packetId: 0, subscriptions: [subscription] };
    entry.identifier = undefined;
    if (this.#wire.version === 5 && this.#wire.capabilities()?.subscriptionIdentifierAvailable) {
      // Overlapping filters make a server send one copy per subscription; the identifier says whose copy it is.
      entry.identifier = subscriptionIdentifier ?? (this.#lastIdentifier = (this.#lastIdentifier % 268_435_455) + 1);
      packet.properties = { subscriptionIdentifier: [entry.identifier] };
    }
    const error = this.#request(packet, entry);
    if (error !== undefined) this.#drop(entry, error);
  }

  /** One that cannot be sent (too large for this server) is left to the session's end: nothing here delivers it now. */
  #unsubscribe(filter: string): void {
    this.#request({ type: 'unsubscribe', packetId: 0, filters: [filter] }, filter);
  }

  /**
   * Sends a SUBSCRIBE or UNSUBSCRIBE under a fresh packet id, awaiting `ack`. Returns the error when it could not be
   * sent (options the encoder refuses, larger than the server's Maximum Packet Size): its id is given back, nothing
   * will answer it.
   */
  #request(packet: SubscribePacket | UnsubscribePacket, ack: PendingAck): MqttError | undefined {
    const packetId = (packet.packetId = this.#wire.ids.allocate());
    try {
      this.#wire.send(packet);
    } catch (error) {
      this.#wire.ids.release(packetId);
      return error as MqttError;
    }
    this.#pending.set(packetId, ack);
    return undefined;
  }

  /** SUBACK or UNSUBACK; one whose packet id is not ours is ignored. */
  acknowledged(packet: SubackPacket | UnsubackPacket): void {
    const entry = this.#pending.get(packet.packetId);
    if (entry === undefined) return;
    this.#pending.delete(packet.packetId);
    this.#wire.ids.release(packet.packetId);
    if (typeof entry === 'string' || packet.type === 'unsuback') return;
    const code = packet.reasonCodes[0] ?? 0x80;
    if (code >= 0x80) {
      this.#drop(entry, new SubscribeError(code, entry.filter, this.#wire.explain));
    } else {
      entry.granted = code as QoS;
      entry.resolve(code as QoS);
    }
  }

  /**
   * Delivers a message to every handler whose filter matches it. A 5.0 message carrying subscription identifiers
   * goes only to those subscriptions (each handler once, however many overlapping copies the server sends).
   */
  dispatch(message: Message): void {
    this.cache.set(message);
    const identifiers = message.properties?.subscriptionIdentifier;
    let delivered = false;
    if (identifiers !== undefined) {
      this.#trie.forEachMatch(message.topic, (entry) => {
        if (entry.identifier !== undefined && identifiers.includes(entry.identifier)) {
          delivered = true;
          deliver(entry, message);
        }
      });
    }
    // No identifiers, or none of ours (a session from before a reload): every matching filter gets it.
    if (!delivered) this.#trie.forEachMatch(message.topic, (entry) => deliver(entry, message));
  }

  /** The connection was lost: acknowledgements still awaited will never come. */
  disconnected(): void {
    for (const [id, pending] of this.#pending) {
      this.#wire.ids.release(id);
      // An UNSUBSCRIBE that got no answer may still be in the server's session.
      if (typeof pending === 'string') this.#leftOffline.add(pending);
      // A SUBSCRIBE that got no answer may never have reached it: send it again even if the session is kept
      // (after a failover its `granted` is still the old server's).
      else pending.sent = false;
    }
    this.#pending.clear();
  }

  /** The client closed: a subscription never acknowledged rejects its `ready` (nothing will answer it now). */
  closed(error: MqttError): void {
    for (const entry of this.#entries.values()) if (entry.granted === undefined) entry.reject(error);
  }

  /**
   * A connection is up. With the session kept, only what the server has not acknowledged is sent again (no
   * duplicate SUBSCRIBEs) plus UNSUBSCRIBEs for filters left meanwhile; without it, everything is subscribed anew.
   */
  connected(sessionPresent: boolean): void {
    for (const entry of this.#entries.values()) {
      if (!sessionPresent) entry.sent = false;
      if (!entry.sent || entry.granted === undefined) this.#subscribe(entry);
    }
    if (sessionPresent) for (const filter of this.#leftOffline) this.#unsubscribe(filter);
    this.#leftOffline.clear();
  }
}

function deliver(entry: Entry, message: Message): void {
  for (const handler of entry.handlers) call(handler, message);
}

/** Calls a user handler; its exception is reported without breaking delivery to the others. */
function call(handler: MessageHandler, message: Message): void {
  try {
    handler(message);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
