import { encode, PacketDecoder } from '@mqttkit/core/codec';
import { ProtocolError, type Packet, type ProtocolVersion } from '@mqttkit/core';
import type { LinkEvents, PacketLink } from './link.ts';
import type { BrokerLimits } from './limits.ts';
import type { BrokerStats } from './stats.ts';
import { Reason } from './reason-codes.ts';

export interface TransportEvents {
  data(chunk: Uint8Array): void;
  /** The transport is closed (by either side, or failed). */
  close(): void;
  /** Buffered output fell back under the limit. */
  drain(): void;
}

/**
 * A byte stream to a client: what a listener adapter (TCP, WebSocket, TLS, a test pair) must provide.
 * One `write` is one socket write / one WebSocket frame.
 */
export interface Transport {
  readonly remoteAddress: string;
  /** Bytes written but not yet handed to the kernel. */
  readonly bufferedAmount: number;
  start(events: TransportEvents): void;
  write(chunk: Uint8Array): void;
  /** Closes once written bytes are flushed. */
  end(): void;
}

/** Links with output waiting; flushed together once per event-loop turn. */
const dirty: WireLink[] = [];
let flushScheduled = false;

function flushAll(): void {
  flushScheduled = false;
  const links = dirty.splice(0, dirty.length);
  for (const link of links) {
    try {
      link.flush();
    } catch (error) {
      link.fail(error); // one broken transport never stops the others' writes
    }
  }
}

/**
 * Packets over a byte transport: decodes with core's `PacketDecoder` (packets split across or packed into
 * chunks), encodes with core's `encode`, and coalesces everything a connection is sent in one event-loop turn
 * into one write (one WebSocket frame), which is what makes fan-out cheap for the broker and the browser.
 */
export class WireLink implements PacketLink {
  version: ProtocolVersion | undefined;
  peerMaximumPacketSize: number | undefined;
  private decoder: PacketDecoder | undefined;
  private events: LinkEvents | undefined;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private closed = false;
  /** A copy of the first bytes received, to read the protocol level of a CONNECT the decoder refuses. */
  private head: Uint8Array | undefined;
  private sawData = false;
  /** Someone found this link congested: tell them when it is not (the transport may never emit drain). */
  private congestionSeen = false;

  constructor(
    private readonly transport: Transport,
    private readonly limits: BrokerLimits,
    private readonly stats: BrokerStats,
  ) {}

  get remoteAddress(): string {
    return this.transport.remoteAddress;
  }

  get congested(): boolean {
    const congested = this.transport.bufferedAmount + this.pendingBytes > this.limits.maxWriteBuffer;
    if (congested) this.congestionSeen = true;
    return congested;
  }

  attach(events: LinkEvents): void {
    this.events = events;
    this.decoder = new PacketDecoder({ maximumPacketSize: this.limits.maxPacketSize });
    this.transport.start(new TransportListener(this));
  }

  /** @internal Bytes from the transport. */
  receive(chunk: Uint8Array): void {
    if (this.closed) return;
    this.stats.bytesReceived += chunk.length;
    if (!this.sawData) {
      this.sawData = true;
      this.head = chunk.slice(0, 64); // a copy: a view would pin the transport's whole read buffer
    }
    // The packets before a malformed one in the same chunk are handled first (a CONNECT is answered, a
    // DISCONNECT cancels the will), then the error closes the connection.
    const { packets, error } = this.decoder!.tryPush(chunk);
    for (const packet of packets) {
      if (this.closed) return;
      if (packet.type === 'connect' && this.version === undefined) {
        this.version = packet.protocolVersion;
        this.head = undefined;
      }
      this.events!.packet(packet);
    }
    if (error !== undefined && !this.closed) this.events!.error(this.version === undefined ? this.refineConnectError(error) : error);
  }

  /** A CONNECT with an unknown protocol level gets CONNACK 0x01 (3.1.1) / 0x84 (5.0) rather than a bare close. */
  private refineConnectError(error: unknown): unknown {
    const level = connectProtocolLevel(this.head);
    if (level === undefined || level === 4 || level === 5) return error;
    this.version = level > 5 ? 5 : 4;
    return new ProtocolError(`unsupported protocol level ${level}: use 4 (3.1.1) or 5 (5.0)`, Reason.UnsupportedProtocolVersion);
  }

  send(packet: Packet): boolean {
    if (this.closed) return false;
    let bytes: Uint8Array;
    try {
      bytes = encode(packet, this.version ?? 4);
    } catch (error) {
      // Confined to this connection: never thrown into the handler of whoever published the message.
      queueMicrotask(() => this.events?.error(error));
      return false;
    }
    return this.sendBytes(bytes);
  }

  sendBytes(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    if (this.peerMaximumPacketSize !== undefined && bytes.length > this.peerMaximumPacketSize) return false;
    if (this.pending.length === 0) {
      dirty.push(this);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAll);
      }
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    return true;
  }

  /** Writes everything queued as one chunk. */
  flush(): void {
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.stats.bytesSent += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.transport.write(chunk);
    // Congestion that came from this turn's own output ends with the write, unless the socket kept it.
    if (this.congestionSeen && !this.closed && this.transport.bufferedAmount <= this.limits.maxWriteBuffer) {
      this.congestionSeen = false;
      this.events?.drained();
    }
  }

  /** A write failed: the connection decides what to do (it closes). */
  fail(error: unknown): void {
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.closed) queueMicrotask(() => this.events?.error(error));
  }

  close(): void {
    if (this.closed) return;
    // Closed before the last flush: a write that ends the congestion must not report `drained`, or the broker
    // would hand this link queued messages that are written after the transport's end (a TCP reset that loses the
    // DISCONNECT) and count as in flight although never sent. They stay queued in the session instead.
    this.closed = true;
    try {
      this.flush();
    } catch {
      // closing anyway
    }
    this.transport.end();
    this.events?.closed();
  }

  /** @internal Buffered output fell back under the limit. */
  transportDrained(): void {
    if (!this.closed) this.events?.drained();
  }

  /** @internal The transport closed, whoever closed it. */
  transportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.events?.closed();
  }
}

/**
 * A link's listener on its transport: a class, not three closures, because every idle connection holds one
 * (closures cost ~300 B each once tsx's keepNames gives them a property array).
 */
class TransportListener implements TransportEvents {
  constructor(private readonly link: WireLink) {}

  data(chunk: Uint8Array): void {
    this.link.receive(chunk);
  }

  close(): void {
    this.link.transportClosed();
  }

  drain(): void {
    this.link.transportDrained();
  }
}

/** The protocol level byte of a CONNECT named MQTT or MQIsdp, if `bytes` starts with one. */
export function connectProtocolLevel(bytes: Uint8Array | undefined): number | undefined {
  if (!bytes || bytes[0] !== 0x10) return undefined;
  let offset = 1;
  for (let i = 0; i < 4 && offset < bytes.length; i++) if ((bytes[offset++]! & 0x80) === 0) break;
  if (offset + 2 > bytes.length) return undefined;
  const nameLength = (bytes[offset]! << 8) | bytes[offset + 1]!;
  offset += 2;
  if (offset + nameLength >= bytes.length) return undefined;
  const name = String.fromCharCode(...bytes.subarray(offset, offset + nameLength));
  if (name !== 'MQTT' && name !== 'MQIsdp') return undefined;
  return bytes[offset + nameLength];
}
