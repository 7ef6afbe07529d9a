import type { Packet, ProtocolVersion } from '../codec/packets.ts';
import type { MqttError } from '../errors.ts';
import type { PacketIds } from './packet-ids.ts';
import { PublishError, type ReasonExplainer } from './errors.ts';
import type { StoredPublish } from './types.ts';

/** An outgoing publish and the promise waiting for it (absent for messages restored from a store). */
export interface PendingPublish {
  message: StoredPublish;
  settle?: ((error?: MqttError) => void) | undefined;
}

/**
 * A publish the application made: settles the promise `publish()` returned. A class rather than a closure per
 * publish: one object, and the same shape for every message (the QoS 1 hot path makes thousands a second).
 */
export class Publication implements PendingPublish {
  /** Written through to the message store while it waits (set by the outbox). */
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

/** What the session needs from the connection and the store. */
export interface SessionWire {
  send(packet: Packet): void;
  /** Persists a changed message (packet id assigned, PUBREC received). */
  save(message: StoredPublish): void;
  /** Forgets a finished message. */
  forget(message: StoredPublish): void;
}

/**
 * Client-side session state: packet ids, outgoing QoS 1/2 publishes in flight (in send order, so they are
 * re-sent in order), the server's Receive Maximum, and inbound QoS 2 ids held until PUBREL.
 */
export class Session {
  /** Outgoing QoS 1/2 publishes by packet id; Map order is send order. */
  readonly inflight = new Map<number, PendingPublish>();
  /** Inbound QoS 2 packet ids delivered to the application and not yet released [MQTT-4.3.3-10]. */
  readonly inboundQos2 = new Set<number>();
  /** The server's Receive Maximum: how many QoS 1/2 publishes may be unacknowledged at once [MQTT-4.9.0-2]. */
  receiveMaximum = 65_535;

  readonly #wire: SessionWire;
  readonly #version: ProtocolVersion;
  readonly #ids: PacketIds;
  readonly #explain: ReasonExplainer;

  constructor(wire: SessionWire, version: ProtocolVersion, ids: PacketIds, explain: ReasonExplainer) {
    this.#wire = wire;
    this.#version = version;
    this.#ids = ids;
    this.#explain = explain;
  }

  /** Whether another QoS 1/2 publish may be sent now. */
  hasRoom(): boolean {
    return this.inflight.size < this.receiveMaximum;
  }

  /** Sends a publish; QoS 1/2 get a packet id and stay in flight until acknowledged. */
  send(pending: PendingPublish): void {
    const message = pending.message;
    if (message.qos > 0) {
      if (message.packetId === undefined || this.inflight.get(message.packetId) !== pending) {
        message.packetId = this.#ids.allocate();
        this.inflight.set(message.packetId, pending);
      }
    }
    try {
      this.#wire.send(toPacket(message, false, this.#version));
    } catch (error) {
      // Not sent (too large for the server, say): it must not hold an id or a slot of the window.
      if (message.packetId !== undefined && this.inflight.get(message.packetId) === pending) {
        this.inflight.delete(message.packetId);
        this.#ids.release(message.packetId);
        delete message.packetId;
      }
      throw error;
    }
    if (message.qos > 0) this.#wire.save(message);
  }

  /** Restores a message that was in flight before a reload, keeping its packet id for a DUP resend. */
  restore(pending: PendingPublish): void {
    const id = pending.message.packetId;
    if (id === undefined || this.#ids.has(id)) {
      delete pending.message.packetId;
      return;
    }
    this.#ids.reserve(id);
    this.inflight.set(id, pending);
  }

  /**
   * After a reconnect: re-send every unacknowledged PUBLISH (DUP when the server kept the session) and PUBREL,
   * in their original order [MQTT-4.4.0-1]. Without a session the server has no state, so the PUBLISH goes again
   * as new; a QoS 2 message already released still needs its PUBREL answered, which completes it.
   */
  resume(sessionPresent: boolean): void {
    if (!sessionPresent) this.inboundQos2.clear();
    for (const [packetId, pending] of this.inflight) {
      if (pending.message.released) this.#wire.send({ type: 'pubrel', packetId });
      else this.#wire.send(toPacket(pending.message, sessionPresent, this.#version));
    }
  }

  /** PUBACK (QoS 1) or PUBCOMP (QoS 2): the flow is complete. Returns false for an unknown id. */
  complete(packetId: number, reasonCode = 0, reasonString?: string): boolean {
    const pending = this.inflight.get(packetId);
    if (pending === undefined) return false;
    this.inflight.delete(packetId);
    this.#ids.release(packetId);
    this.#wire.forget(pending.message);
    // 5.0: PUBCOMP 0x92 (id not found) after our PUBREL means the server already finished this flow while we
    // were away; the PUBREC we had proves it took the message, so this is recovery, not failure.
    const recovered = reasonCode === 0x92 && pending.message.released === true;
    pending.settle?.(reasonCode >= 0x80 && !recovered ? new PublishError(reasonCode, pending.message.topic, reasonString, this.#explain) : undefined);
    return true;
  }

  /** PUBREC: the server has the QoS 2 message; answer PUBREL (again, if this PUBREC is a resend). */
  received(packetId: number, reasonCode = 0, reasonString?: string): void {
    const pending = this.inflight.get(packetId);
    if (reasonCode >= 0x80) {
      // 5.0: a failed PUBREC ends the flow [MQTT-4.3.3-4 note]; no PUBREL follows.
      this.complete(packetId, reasonCode, reasonString);
      return;
    }
    if (pending !== undefined && !pending.message.released) {
      pending.message.released = true;
      this.#wire.save(pending.message);
    }
    // An unknown id (e.g. acknowledged before a reload) still gets a PUBREL so the server can finish its side.
    this.#wire.send(pending === undefined && this.#version === 5 ? { type: 'pubrel', packetId, reasonCode: 0x92 } : { type: 'pubrel', packetId });
  }

  /** Rejects everything in flight (client closed) and forgets it. */
  abandon(error: MqttError): void {
    for (const [id, pending] of this.inflight) {
      this.#ids.release(id);
      pending.settle?.(error);
    }
    this.inflight.clear();
  }
}

/** The PUBLISH packet for a stored message. */
export function toPacket(message: StoredPublish, dup: boolean, version: number): Packet {
  const packet: Packet = { type: 'publish', topic: message.topic, payload: message.payload, qos: message.qos, retain: message.retain, dup };
  if (message.packetId !== undefined && message.qos > 0) packet.packetId = message.packetId;
  if (version === 5 && message.properties !== undefined) packet.properties = message.properties;
  return packet;
}
