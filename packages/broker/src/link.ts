import type { Packet, ProtocolVersion } from '@mqttkit/core';

/** What a link reports to the connection it carries. */
export interface LinkEvents {
  packet(packet: Packet): void;
  /** Undecodable input: the link is dead for reading; the connection decides what to answer. */
  error(error: unknown): void;
  /** The transport closed (either side). Called once. */
  closed(): void;
  /** The transport accepted buffered bytes again after being congested. */
  drained(): void;
}

/**
 * A connection seen as packets, whatever carries them (TCP, WebSocket, or an in-memory pair in tests).
 * Packets sent in one event-loop turn may be coalesced into one write.
 */
export interface PacketLink {
  readonly remoteAddress: string;
  /** More bytes waiting to be written than the broker allows: deliver nothing more until `drained`. */
  readonly congested: boolean;
  /** The protocol version to encode with, set once CONNECT has been read. */
  version: ProtocolVersion | undefined;
  /** The peer's maximum packet size (5.0): larger packets are not sent. */
  peerMaximumPacketSize: number | undefined;
  attach(events: LinkEvents): void;
  /** Queues a packet; false when it was not sent because it exceeds the peer's maximum packet size. */
  send(packet: Packet): boolean;
  /** Queues an already encoded packet (encoded for `version`); false when too large for the peer. */
  sendBytes(bytes: Uint8Array): boolean;
  /** Writes what is queued, then closes. */
  close(): void;
}
