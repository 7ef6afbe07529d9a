/**
 * A bare MQTT connection over TCP for attack and fault tests: writes any bytes, decodes what the broker sends
 * with our codec, waits on packets and on the close (never sleeps), and acknowledges QoS 1/2 deliveries so a
 * well-behaved peer can be built from it in a few lines.
 */
import net from 'node:net';
import { encode, PacketDecoder, type ConnackPacket, type ConnectPacket, type Packet, type PacketOf, type PacketType, type ProtocolVersion, type PublishPacket, type QoS } from '../../packages/core/src/codec/index.ts';

export interface RawOptions {
  host?: string;
  /** Answer PUBLISH with PUBACK/PUBREC and PUBREL with PUBCOMP (default true). */
  autoAck?: boolean;
  /**
   * Called for every packet received, from the first byte on: set here, it also sees what the broker sends in
   * the CONNACK's read (resends, queued messages), which arrives before `connect` resolves.
   */
  onPacket?: (packet: Packet) => void;
}

export class RawMqtt {
  /** Packets received and not yet taken by `next`. */
  readonly inbox: Packet[] = [];
  /** Every packet received, in order. */
  readonly received: Packet[] = [];
  /** Set when the broker's bytes did not decode (a broker bug worth reporting). */
  decodeError: unknown;
  version: ProtocolVersion | undefined;
  readonly closed: Promise<void>;
  isClosed = false;
  private readonly decoder: PacketDecoder;
  private waiters: (() => void)[] = [];
  private publishHandler: ((packet: PublishPacket) => void) | undefined;
  /** PUBLISHes received while no `onPublish` was set, handed to the next one set. */
  private unhandledPublishes: PublishPacket[] = [];
  /** Called for every packet received, before it goes to the inbox (see `RawOptions.onPacket` for the first ones). */
  onPacket: ((packet: Packet) => void) | undefined;

  private constructor(readonly socket: net.Socket, private readonly autoAck: boolean, onPacket: ((packet: Packet) => void) | undefined) {
    this.onPacket = onPacket;
    // The server's packets follow our CONNECT's level; set as soon as we send it.
    this.decoder = new PacketDecoder({ version: 5 });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.isClosed = true;
      this.wake();
      resolve();
    }));
  }

  static open(port: number, options: RawOptions = {}): Promise<RawMqtt> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: options.host ?? '127.0.0.1', port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawMqtt(socket, options.autoAck ?? true, options.onPacket));
      });
      socket.once('error', reject);
    });
  }

  /** Opens, sends CONNECT and waits for the CONNACK. */
  static async connect(port: number, connect: Partial<ConnectPacket> & { clientId: string }, options: RawOptions = {}): Promise<{ client: RawMqtt; connack: ConnackPacket }> {
    const client = await RawMqtt.open(port, options);
    client.send({ type: 'connect', protocolVersion: 5, clean: true, keepalive: 0, ...connect });
    const connack = await client.next('connack');
    return { client, connack };
  }

  /**
   * Called for every PUBLISH received (after the automatic acknowledgement), those received before it was set
   * included: they are handed to it when it is set, in order. A broker's first deliveries often come in the same
   * read as the CONNACK, before `connect` resolves and a caller can set this.
   */
  get onPublish(): ((packet: PublishPacket) => void) | undefined {
    return this.publishHandler;
  }

  set onPublish(handler: ((packet: PublishPacket) => void) | undefined) {
    this.publishHandler = handler;
    if (!handler || this.unhandledPublishes.length === 0) return;
    for (const packet of this.unhandledPublishes.splice(0)) handler(packet);
    this.wake();
  }

  private receive(chunk: Buffer): void {
    let packets: Packet[];
    try {
      packets = this.decoder.push(chunk);
    } catch (error) {
      this.decodeError ??= error;
      this.socket.destroy();
      return;
    }
    for (const packet of packets) {
      this.received.push(packet);
      this.onPacket?.(packet);
      if (this.autoAck) this.acknowledge(packet);
      if (packet.type === 'publish') {
        if (this.publishHandler) this.publishHandler(packet);
        else this.unhandledPublishes.push(packet);
      }
      this.inbox.push(packet);
    }
    this.wake();
  }

  private acknowledge(packet: Packet): void {
    if (packet.type === 'publish' && packet.qos === 1) this.send({ type: 'puback', packetId: packet.packetId! });
    else if (packet.type === 'publish' && packet.qos === 2) this.send({ type: 'pubrec', packetId: packet.packetId! });
    else if (packet.type === 'pubrel') this.send({ type: 'pubcomp', packetId: packet.packetId });
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves when `ready()` holds, checked on every packet and on the close; rejects after `ms`. */
  async until(ready: () => boolean, what: string, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next packet of `type` (packets of other types before it are skipped); rejects on close or timeout. */
  async next<T extends PacketType>(type: T, ms = 10_000): Promise<PacketOf<T>> {
    let found: Packet | undefined;
    await this.until(() => {
      const at = this.inbox.findIndex((p) => p.type === type);
      if (at >= 0) found = this.inbox.splice(0, at + 1).pop();
      if (!found && this.isClosed) throw new Error(`connection closed while waiting for ${type.toUpperCase()}`);
      return found !== undefined;
    }, type.toUpperCase(), ms);
    return found as PacketOf<T>;
  }

  /** Waits for the broker to close the connection; rejects after `ms`. */
  async waitClosed(ms = 10_000): Promise<void> {
    await this.until(() => this.isClosed, 'the connection to close', ms);
  }

  /** The protocol level the broker's packets are decoded at, when bytes were written raw instead of `send`. */
  setVersion(version: ProtocolVersion): void {
    this.version = version;
    this.decoder.version = version;
  }

  send(packet: Packet): void {
    if (packet.type === 'connect') this.version = packet.protocolVersion;
    if (this.version !== undefined) this.decoder.version = this.version;
    this.write(encode(packet, this.version ?? 5));
  }

  write(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  async subscribe(filter: string, qos: QoS = 1, packetId = 1): Promise<number[]> {
    this.send({ type: 'subscribe', packetId, subscriptions: [{ filter, qos }] });
    return (await this.next('suback')).reasonCodes;
  }

  /** Publishes at QoS 1 and waits for its PUBACK (the next one: one publish in flight at a time). */
  async publish(topic: string, payload: Uint8Array | string, qos: QoS = 1, packetId = 1): Promise<void> {
    const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
    this.send(qos ? { type: 'publish', topic, payload: bytes, qos, retain: false, dup: false, packetId } : { type: 'publish', topic, payload: bytes, qos, retain: false, dup: false });
    if (qos === 1) await this.next('puback');
    if (qos === 2) {
      await this.next('pubrec');
      this.send({ type: 'pubrel', packetId });
      await this.next('pubcomp');
    }
  }

  /** The DISCONNECT the broker sent, if any. */
  get disconnect(): PacketOf<'disconnect'> | undefined {
    return this.received.find((p): p is PacketOf<'disconnect'> => p.type === 'disconnect');
  }

  destroy(): void {
    this.socket.destroy();
  }
}
