/**
 * An in-memory client for broker tests (aedes' helper idea): bytes go through our real codec and the broker's
 * real wire layer, and a test reads what the broker sent with `nextPacket()`.
 */
import { encode, PacketDecoder, type ConnackPacket, type ConnectPacket, type Packet, type ProtocolVersion } from '@mqttkit/core';
import type { Broker } from '../../src/broker.ts';
import type { Transport, TransportEvents } from '../../src/wire.ts';

export class MemoryClient {
  readonly received: Packet[] = [];
  /** Every chunk the broker wrote (one per flush). */
  readonly writes: Uint8Array[] = [];
  closedByBroker = false;
  private events: TransportEvents | undefined;
  private decoder: PacketDecoder;
  private waiters: (() => void)[] = [];
  private closeWaiters: (() => void)[] = [];
  /** Simulates a socket whose buffer is full. */
  bufferedAmount = 0;

  constructor(readonly broker: Broker, public version: ProtocolVersion = 4, readonly remoteAddress = '127.0.0.1') {
    this.decoder = new PacketDecoder({ version });
    const self = this;
    const transport: Transport = {
      remoteAddress,
      get bufferedAmount() {
        return self.bufferedAmount;
      },
      start: (events) => {
        this.events = events;
      },
      write: (chunk) => {
        this.writes.push(chunk);
        for (const packet of this.decoder.push(chunk)) this.received.push(packet);
        this.wake();
      },
      end: () => {
        this.closedByBroker = true;
        this.wake();
        for (const waiter of this.closeWaiters.splice(0)) waiter();
      },
    };
    broker.handle(transport);
  }

  /** Connects and resolves with the CONNACK. */
  static async connect(broker: Broker, connect: Partial<ConnectPacket> = {}, remoteAddress?: string): Promise<{ client: MemoryClient; connack: ConnackPacket }> {
    const version = connect.protocolVersion ?? 4;
    const client = new MemoryClient(broker, version, remoteAddress);
    client.send({ type: 'connect', protocolVersion: version, clientId: 'c' + Math.random().toString(36).slice(2, 8), clean: true, keepalive: 0, ...connect });
    const connack = await client.nextPacket();
    if (connack.type !== 'connack') throw new Error(`expected CONNACK, got ${connack.type}`);
    return { client, connack };
  }

  send(packet: Packet): void {
    this.rawWrite(encode(packet, this.version));
  }

  rawWrite(bytes: Uint8Array): void {
    this.events!.data(bytes);
  }

  /** The client's side of the socket goes away without DISCONNECT. */
  drop(): void {
    this.events!.close();
  }

  /** The drain event a real socket emits once its buffer empties. */
  drain(): void {
    this.bufferedAmount = 0;
    this.events!.drain();
  }

  /** The next packet the broker sent, waiting up to `timeoutMs`. */
  async nextPacket(timeoutMs = 2000): Promise<Packet> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      if (this.closedByBroker) throw new Error('connection closed by the broker');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no packet within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.shift()!;
  }

  /** The next packet of a given type (earlier ones of other types are skipped, e.g. PINGRESP). */
  async next<T extends Packet['type']>(type: T, timeoutMs = 2000): Promise<Extract<Packet, { type: T }>> {
    for (;;) {
      const packet = await this.nextPacket(timeoutMs);
      if (packet.type === type) return packet as Extract<Packet, { type: T }>;
    }
  }

  /** True if nothing arrives within `ms` (used to prove a message is NOT delivered: bounded, after a marker). */
  async nothingWithin(ms: number): Promise<boolean> {
    try {
      const packet = await this.nextPacket(ms);
      this.received.unshift(packet);
      return false;
    } catch {
      return true;
    }
  }

  /** Resolves when the broker closes the connection. */
  closed(timeoutMs = 5000): Promise<void> {
    if (this.closedByBroker) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not closed within ${timeoutMs} ms`)), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async subscribe(filter: string, qos: 0 | 1 | 2 = 0, extra: Partial<Packet & { type: 'subscribe' }> = {}): Promise<number[]> {
    const packetId = 1 + Math.floor(Math.random() * 60000);
    this.send({ type: 'subscribe', packetId, subscriptions: [{ filter, qos }], ...extra });
    const suback = await this.next('suback');
    return suback.reasonCodes;
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

export const text = (value: string): Uint8Array => new TextEncoder().encode(value);
export const str = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
