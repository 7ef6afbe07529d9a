import { encode, type Packet, type ProtocolVersion, type PublishPacket, type WillMessage } from '@mqttkit/core';
import type { ClientInfo } from './hooks.ts';
import type { PendingAuth } from './enhanced-auth.ts';
import type { LinkEvents, PacketLink } from './link.ts';
import { remainingExpiry, type Outgoing } from './message.ts';
import type { Session } from './session.ts';
import type { Broker } from './broker.ts';
import { receiveError, receivePacket } from './dispatcher.ts';
import { failConnection } from './disconnect.ts';
import { publishBytes } from './publish-bytes.ts';

/** Lifecycle of one network connection: one state instead of a handful of flags. */
export type ClientState = 'awaiting-connect' | 'connecting' | 'connected' | 'closed';

/**
 * What became of a PUBLISH handed to a connection. 'too-large': over the client's Maximum Packet Size
 * (MQTT-3.1.2-25); 'unencodable': the message cannot be encoded at all; both never reach this client.
 * 'closed': the connection is closed or closing, so nothing was sent and the session's next connection may take it.
 */
export type PublishOutcome = 'sent' | 'too-large' | 'unencodable' | 'closed';

/**
 * One network connection and what MQTT negotiates per connection (version, keepalive, will, aliases, the
 * client's limits). What outlives the connection lives in its `Session`.
 */
export class Client implements ClientInfo, LinkEvents {
  state: ClientState = 'awaiting-connect';
  protocolVersion: ProtocolVersion = 4;
  clientId = '';
  username: string | undefined;
  session: Session | undefined;
  will: WillMessage | undefined;
  /** Publish the will when the connection ends (cleared by a normal DISCONNECT). */
  willOnClose = true;
  keepaliveSeconds = 0;
  lastPacketAt = Date.now();
  keepaliveTimer: NodeJS.Timeout | undefined;
  /** The client's receive maximum: QoS 1/2 PUBLISH we may have unacknowledged (MQTT-3.3.4-9). */
  receiveMaximum = 65535;
  /** 5.0 Request Problem Information: when false, acks carry no reason string (MQTT-3.1.2-29). */
  problemInformation = true;
  /** The client's topic alias maximum (broker → client aliases). */
  topicAliasMaximum = 0;
  private outAliasMap: Map<string, number> | undefined;
  private inAliasMap: Map<number, string> | undefined;
  /** 5.0: the Authentication Method this connection authenticated with; a re-authentication must use it. */
  authenticationMethod: string | undefined;
  /** An enhanced authentication exchange in progress. */
  auth: PendingAuth | undefined;
  /** Packets waiting while an async handler (a hook) runs, so a connection's packets keep their order. */
  backlog: Packet[] | undefined;
  readonly connectedAt = Date.now();

  constructor(readonly broker: Broker, readonly link: PacketLink) {
    link.attach(this); // the client is its link's listener: no closures per connection
  }

  // LinkEvents

  /** @internal */
  packet(packet: Packet): void {
    this.lastPacketAt = Date.now();
    receivePacket(this, packet);
  }

  /** @internal */
  error(error: unknown): void {
    receiveError(this, error);
  }

  /** @internal */
  closed(): void {
    this.broker.clientClosed(this);
  }

  /** @internal */
  drained(): void {
    if (this.session) this.broker.drainSession(this.session);
  }

  /** Topic aliases this broker set towards the client (created on first use: most clients never use aliases). */
  get outAliases(): Map<string, number> {
    return (this.outAliasMap ??= new Map());
  }

  /** Topic aliases the client set towards the broker. */
  get inAliases(): Map<number, string> {
    return (this.inAliasMap ??= new Map());
  }

  get remoteAddress(): string {
    return this.link.remoteAddress;
  }

  get congested(): boolean {
    return this.link.congested;
  }

  /** Queues a packet for this client. A failure here fails this connection only, never the caller's. */
  send(packet: Packet): boolean {
    if (this.state === 'closed') return false;
    try {
      const ack = plainAckBytes(packet);
      if (ack) return this.link.sendBytes(ack);
      if (this.link.send(packet)) return true;
      // Over the client's Maximum Packet Size: the Reason String and User Properties are the optional part of an
      // ack or DISCONNECT, left out so the packet itself still goes (MQTT-3.4.2-2, MQTT-3.14.2-3 and the like).
      const trimmed = this.link.peerMaximumPacketSize === undefined ? undefined : withoutProblemInformation(packet);
      return trimmed ? this.link.send(trimmed) : false;
    } catch (error) {
      queueMicrotask(() => failConnection(this, error));
      return false;
    }
  }

  /**
   * Sends one queued/in-flight message as a PUBLISH, with this connection's aliases and 5.0 properties, and says
   * what became of it: the caller keeps a message the connection could not take ('closed') for the session's next
   * connection, and discards one that can never reach this client ('too-large', 'unencodable').
   */
  sendPublish(out: Outgoing, dup: boolean): PublishOutcome {
    if (this.state === 'closed') return 'closed';
    const message = out.message;
    const expiry = this.protocolVersion === 5 ? remainingExpiry(message, Date.now()) : undefined;
    const perClient = this.protocolVersion === 5 && (expiry !== undefined || out.subscriptionIds !== undefined || this.topicAliasMaximum > 0);
    const outcome = perClient ? this.sendTailoredPublish(out, dup, expiry) : this.sendShared(out, dup);
    if (outcome === 'sent') this.broker.stats.messagesSent++;
    return outcome;
  }

  /** The common case: bytes shared by every subscriber of the same version (encoded once per message). */
  private sendShared(out: Outgoing, dup: boolean): PublishOutcome {
    try {
      return this.writePublish(publishBytes(out.message, this.protocolVersion, out.qos, out.retain, dup, out.packetId));
    } catch (error) {
      return this.unencodable(error);
    }
  }

  /** 5.0 with per-connection properties: remaining expiry, subscription identifiers, topic aliases. */
  private sendTailoredPublish(out: Outgoing, dup: boolean, expiry: number | undefined): PublishOutcome {
    const message = out.message;
    const packet: PublishPacket = { type: 'publish', topic: message.topic, payload: message.payload, qos: out.qos, retain: out.retain, dup };
    if (out.qos > 0) packet.packetId = out.packetId!;
    const properties = { ...message.properties };
    if (expiry !== undefined) properties.messageExpiryInterval = expiry;
    if (out.subscriptionIds) properties.subscriptionIdentifier = out.subscriptionIds;
    let newAlias: number | undefined;
    if (this.topicAliasMaximum > 0) {
      const alias = this.outAliases.get(message.topic);
      if (alias !== undefined) {
        properties.topicAlias = alias;
        packet.topic = '';
      } else if (this.outAliases.size < this.topicAliasMaximum) {
        newAlias = this.outAliases.size + 1;
        this.outAliases.set(message.topic, newAlias);
        properties.topicAlias = newAlias;
      }
    }
    if (Object.keys(properties).length > 0) packet.properties = properties;
    let outcome: PublishOutcome;
    try {
      outcome = this.writePublish(encode(packet, this.protocolVersion));
    } catch (error) {
      outcome = this.unencodable(error);
    }
    if (outcome !== 'sent' && newAlias !== undefined) this.outAliases.delete(message.topic);
    return outcome;
  }

  private writePublish(bytes: Uint8Array): PublishOutcome {
    if (this.link.sendBytes(bytes)) return 'sent';
    // The link refuses a packet over the client's Maximum Packet Size, and anything once it is closed.
    const maximum = this.link.peerMaximumPacketSize;
    return maximum !== undefined && bytes.length > maximum ? 'too-large' : 'closed';
  }

  /**
   * Encoding threw (`broker.publish` now refuses such input, so only an internal caller could get here): it would
   * throw again for every connection of this session, so the message is not kept; this connection fails.
   */
  private unencodable(error: unknown): 'unencodable' {
    queueMicrotask(() => failConnection(this, error));
    return 'unencodable';
  }

  close(): void {
    this.link.close();
  }
}

/** First bytes of the acks that are only a packet id: PUBACK, PUBREC, PUBREL (flags 0b0010), PUBCOMP. */
const ACK_FIRST_BYTE = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 } as const;

/**
 * The 4 bytes of an ack with success and no properties (the same at 3.1.1 and 5.0, where reason code 0 and empty
 * properties may be omitted: MQTT 5.0 3.4.2.1), built directly: one per QoS 1/2 message, the commonest packet.
 */
function plainAckBytes(packet: Packet): Uint8Array | undefined {
  if (packet.type !== 'puback' && packet.type !== 'pubrec' && packet.type !== 'pubrel' && packet.type !== 'pubcomp') return undefined;
  if ((packet.reasonCode !== undefined && packet.reasonCode !== 0) || packet.properties !== undefined) return undefined;
  return Uint8Array.of(ACK_FIRST_BYTE[packet.type], 2, packet.packetId >> 8, packet.packetId & 0xff);
}

/** `packet` without its Reason String and User Properties, or undefined when it has neither (or is a PUBLISH). */
function withoutProblemInformation(packet: Packet): Packet | undefined {
  if (packet.type === 'publish' || !('properties' in packet) || !packet.properties) return undefined;
  const { reasonString, userProperties, ...rest } = packet.properties;
  if (reasonString === undefined && userProperties === undefined) return undefined;
  const trimmed = { ...packet };
  if (Object.keys(rest).length > 0) trimmed.properties = rest;
  else delete trimmed.properties;
  return trimmed;
}
