import type { PublishPacket } from '../codec/packets.ts';
import { ProtocolError } from '../errors.ts';
import type { TopicAliasMap } from './features.ts';
import type { Transport } from './transport.ts';

/**
 * MQTT 5.0 topic aliases for one connection. Outbound: the first publishes to distinct topics get aliases
 * 1..server maximum, later publishes to those topics send the alias with an empty topic. Inbound: remembers the
 * server's alias → topic mapping. Both reset on every connection [MQTT-3.3.2-7].
 */
export class TopicAliases implements TopicAliasMap {
  readonly #outbound = new Map<string, number>();
  readonly #inbound = new Map<number, string>();

  constructor(
    /** The server's Topic Alias Maximum from CONNACK (0: none). */
    readonly outboundMaximum: number,
    /** Our Topic Alias Maximum from CONNECT (0: none). */
    readonly inboundMaximum: number,
  ) {}

  /**
   * Sends a PUBLISH with an alias, the topic emptied when the server already knows the alias. A new alias counts
   * as known only once the PUBLISH setting it was written: one the transport refused (too large) set nothing.
   * The packet is the client's own fresh object, so it is changed in place; its properties are copied.
   */
  outgoing(packet: PublishPacket, transport: Pick<Transport, 'send'>): void {
    const { topic } = packet;
    const alias = this.#outbound.get(topic);
    const next = this.#outbound.size + 1;
    if (alias !== undefined) {
      packet.topic = '';
      packet.properties = { ...packet.properties, topicAlias: alias };
    } else if (next <= this.outboundMaximum) {
      packet.properties = { ...packet.properties, topicAlias: next };
    }
    transport.send(packet);
    if (alias === undefined && next <= this.outboundMaximum) this.#outbound.set(topic, next);
  }

  /** The topic an inbound PUBLISH is for; throws ProtocolError 0x94 for an alias out of range, 0x82 for one never set. */
  incoming(packet: PublishPacket): string {
    const alias = packet.properties?.topicAlias;
    if (alias === undefined) return packet.topic;
    if (alias === 0 || alias > this.inboundMaximum) {
      throw new ProtocolError(`The server used topic alias ${alias}, outside 1..${this.inboundMaximum}`, 0x94);
    }
    if (packet.topic !== '') {
      this.#inbound.set(alias, packet.topic);
      return packet.topic;
    }
    const topic = this.#inbound.get(alias);
    // In range but never set on this connection: a protocol error (0x82), not an invalid alias.
    if (topic === undefined) throw new ProtocolError(`The server used topic alias ${alias} before setting it`);
    return topic;
  }
}

/** The `topicAliases` feature for `createClient`. */
export const topicAliases = (serverMaximum: number, ourMaximum: number): TopicAliasMap => new TopicAliases(serverMaximum, ourMaximum);
