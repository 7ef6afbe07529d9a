import type { PublishPacket } from '../codec/packets.ts';
import { ProtocolError } from '../errors.ts';
import type { TopicAliasMap } from './features.ts';

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
   * Adds an alias to a PUBLISH about to be sent, emptying the topic when the server already knows the alias.
   * The packet is the client's own fresh object, so it is changed in place; its properties are copied.
   */
  outgoing(packet: PublishPacket): PublishPacket {
    if (this.outboundMaximum === 0 || packet.properties?.topicAlias !== undefined) return packet;
    const alias = this.#outbound.get(packet.topic);
    if (alias === undefined) {
      if (this.#outbound.size >= this.outboundMaximum) return packet;
      this.#outbound.set(packet.topic, this.#outbound.size + 1);
      packet.properties = { ...packet.properties, topicAlias: this.#outbound.size };
    } else {
      packet.topic = '';
      packet.properties = { ...packet.properties, topicAlias: alias };
    }
    return packet;
  }

  /** The topic an inbound PUBLISH is for; throws ProtocolError 0x94 for an alias out of range or never set. */
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
    if (topic === undefined) throw new ProtocolError(`The server used topic alias ${alias} before setting it`, 0x94);
    return topic;
  }
}

/** The `topicAliases` feature for `createClient`. */
export const topicAliases = (serverMaximum: number, ourMaximum: number): TopicAliasMap => new TopicAliases(serverMaximum, ourMaximum);
