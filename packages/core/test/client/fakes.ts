/**
 * Deterministic doubles for the client's state machines: a clock whose time only moves when told, and a
 * packet-level transport whose "server" side the test drives.
 */
import type { Packet, PacketOf, PacketType } from '../../src/codec/packets.ts';
import { encodeClientPacket } from '../../src/client/wire-codec.ts';
import { MqttError } from '../../src/errors.ts';
import type { Transport, TransportEvents, TransportFactory, TransportOptions } from '../../src/client/transport.ts';
import type { Clock } from '../../src/client/types.ts';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/** A fake clock: `advance(ms)` runs timers in time order; `jump(ms)` moves time without running any (a sleeping laptop, a throttled tab). */
export class FakeClock implements Clock {
  time = 1_000_000;
  #timers: Timer[] = [];
  #nextId = 1;

  now = (): number => this.time;

  setTimeout = (callback: () => void, ms: number): unknown => {
    const timer = { id: this.#nextId++, at: this.time + Math.max(0, ms), callback };
    this.#timers.push(timer);
    return timer.id;
  };

  clearTimeout = (handle: unknown): void => {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  };

  /** Pending timers' due times, soonest first. */
  get pending(): number[] {
    return this.#timers.map((timer) => timer.at).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, running each timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const due = this.#timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }

  /** Moves time forward without running timers. */
  jump(ms: number): void {
    this.time += ms;
  }

  /** Runs the timers that are due now (a late timer finally firing). */
  fireDue(): void {
    this.advance(0);
  }
}

/** One connection as the fake server sees it. */
export class FakeConnection implements Transport {
  readonly sent: Packet[] = [];
  maximumPacketSize: number | undefined;
  closed = false;

  constructor(
    readonly options: TransportOptions,
    private readonly events: TransportEvents,
  ) {}

  send(packet: Packet): void {
    if (this.closed) return;
    // Like the WebSocket transport: encode with the client's own encoders (a packet its features cannot send
    // throws), and refuse what exceeds the server's Maximum Packet Size the client set.
    const size = encodeClientPacket(this.options.encoders, packet, this.options.protocolVersion).byteLength;
    if (this.maximumPacketSize !== undefined && size > this.maximumPacketSize) {
      throw new MqttError('PACKET_TOO_LARGE', `${size} bytes exceed ${this.maximumPacketSize}`, 0x95);
    }
    // Copy: the client may reuse objects, the test wants what was on the wire at that moment.
    this.sent.push(structuredClone(packet));
    this.events.wrote();
  }

  close(): void {
    this.closed = true;
  }

  /** The socket opened: the client sends CONNECT. */
  open(): void {
    this.events.opened();
  }

  /** The server sends `packet`. */
  deliver(packet: Packet): void {
    this.events.packet(packet);
  }

  /** The socket died (as seen by the client). */
  drop(error?: MqttError): void {
    this.closed = true;
    this.events.closed(error);
  }

  /** Packets of one type sent so far. */
  ofType<T extends PacketType>(type: T): PacketOf<T>[] {
    return this.sent.filter((packet): packet is PacketOf<T> => packet.type === type);
  }

  /** Removes and returns what was sent so far. */
  take(): Packet[] {
    return this.sent.splice(0);
  }
}

/** A transport factory recording every connection the client opens. */
export class FakeNetwork {
  readonly connections: FakeConnection[] = [];
  readonly factory: TransportFactory = (options, events) => {
    const connection = new FakeConnection(options, events);
    this.connections.push(connection);
    return connection;
  };

  get last(): FakeConnection {
    const connection = this.connections.at(-1);
    if (connection === undefined) throw new Error('the client opened no connection');
    return connection;
  }

  /** Opens the latest connection and answers its CONNECT with a CONNACK. */
  accept(connack: Partial<PacketOf<'connack'>> = {}): FakeConnection {
    const connection = this.last;
    connection.open();
    connection.deliver({ type: 'connack', sessionPresent: false, reasonCode: 0, ...connack });
    return connection;
  }
}

/** Lets pending promise callbacks and microtasks run (the client awaits its store and credentials). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
