import type { Packet, ProtocolVersion } from '../codec/packets.ts';
import type { MqttError } from '../errors.ts';
import type { WebSocketConstructor } from './types.ts';
import type { ClientEncoders } from './wire-codec.ts';

/** Events from a transport to the client. `closed` is called exactly once. */
export interface TransportEvents {
  opened(): void;
  packet(packet: Packet): void;
  /** Bytes were written (for keepalive). */
  wrote(): void;
  closed(error: MqttError | undefined): void;
}

/** A packet-level connection to one server. */
export interface Transport {
  /** Queues a packet; throws `InvalidArgumentError` when it cannot be encoded, or when larger than `maximumPacketSize`. */
  send(packet: Packet): void;
  /** Flushes what is queued, then closes. */
  close(): void;
  /** The server's Maximum Packet Size, set once CONNACK tells it. */
  maximumPacketSize: number | undefined;
}

export interface TransportOptions {
  url: string;
  protocolVersion: ProtocolVersion;
  /** The largest packet we accept (our CONNECT Maximum Packet Size). */
  maximumPacketSize: number | undefined;
  WebSocket: WebSocketConstructor | undefined;
  /** How to encode each packet type the client sends (its features decide which: no PUBLISH without `session`). */
  encoders: ClientEncoders;
}

/** Opens a transport; the client's default is the WebSocket transport. Tests inject a fake. */
export type TransportFactory = (options: TransportOptions, events: TransportEvents) => Transport;
