/**
 * Clients for the interop suites: `MqttClient` over Node's `ws` with a fast reconnect, every socket it opens
 * recorded (so a test can cut one abruptly), all closed by `closeAll()`; plus waiting on conditions, never sleeping.
 */
import WebSocket from 'ws';
import { MqttClient } from '../../../packages/core/src/client/index.ts';
import { PacketDecoder, type Packet } from '../../../packages/core/src/codec/index.ts';
import type { ClientOptions, Message, MessageHandler, SubscribeOptions } from '../../../packages/core/src/client/types.ts';

/** A client and the sockets it opened, in order. */
export interface TrackedClient {
  client: MqttClient;
  sockets: WebSocket[];
  /** Every MQTT packet sent and received, one line each, with the socket's number and ms since creation. */
  trace: string[];
  /** Cuts the current connection without a DISCONNECT or a close frame, like a dropped network. */
  drop(): void;
}

export class Clients {
  readonly #open: MqttClient[] = [];

  constructor(private readonly defaults: Omit<ClientOptions, 'url'> = {}) {}

  create(options: ClientOptions): TrackedClient {
    const sockets: WebSocket[] = [];
    const trace: string[] = [];
    const started = Date.now();
    class Tracked extends WebSocket {
      readonly #record: (direction: string, data: unknown) => void;
      constructor(url: string, protocols: string | string[]) {
        super(url, protocols);
        sockets.push(this);
        const label = `#${sockets.length} ${new URL(url).port}`;
        // The outbound decoder learns the protocol level from our CONNECT; the inbound one is made with it.
        const outbound = new PacketDecoder();
        let inbound: PacketDecoder | undefined;
        this.#record = (direction, data) => {
          const decoder = direction === '->' ? outbound : (inbound ??= new PacketDecoder({ version: outbound.version ?? 4 }));
          try {
            for (const packet of decoder.push(asBytes(data))) trace.push(`${Date.now() - started} ms ${label} ${direction} ${describePacket(packet)}`);
          } catch (error) {
            trace.push(`${Date.now() - started} ms ${label} ${direction} undecodable: ${String(error)}`);
          }
        };
        this.on('message', (data: unknown) => this.#record('<-', data));
        this.on('close', (code: number) => trace.push(`${Date.now() - started} ms ${label} closed ${code}`));
      }
      override send(data: unknown, ...rest: unknown[]): void {
        this.#record('->', data);
        (super.send as (...args: unknown[]) => void)(data, ...rest);
      }
    }
    const client = new MqttClient({ reconnect: { minDelay: 20, maxDelay: 500 }, ...this.defaults, ...options, WebSocket: Tracked });
    this.#open.push(client);
    return {
      client,
      sockets,
      trace,
      drop: () => sockets.at(-1)?.terminate(),
    };
  }

  /** Creates a client and waits for its first CONNACK. */
  async connected(options: ClientOptions): Promise<TrackedClient> {
    const tracked = this.create(options);
    await tracked.client.connect();
    return tracked;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#open.splice(0).map((client) => client.close()));
  }
}

/** Resolves once `condition()` holds, checking every 10 ms; rejects after `ms` naming `what` (and `explain()`). */
export async function until(condition: () => boolean, what: string, ms = 15_000, explain?: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${explain === undefined ? '' : `\n${explain()}`}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every state change of `client` as one line (ms since the call, status, server, session flags, error), for failure messages. */
export function stateHistory(client: MqttClient): () => string {
  const started = Date.now();
  const lines: string[] = [];
  client.state.subscribe(() => {
    const { status, server, sessionPresent, sessionLost, queued, error } = client.state.getSnapshot();
    lines.push(`${Date.now() - started} ms ${status} ${server ?? '-'} present=${sessionPresent} lost=${sessionLost} queued=${queued} ${error?.message ?? ''}`);
  });
  return () => lines.join('\n');
}

const decoder = new TextDecoder();
export const text = (message: Message): string => decoder.decode(message.payload);

/** Subscribes `filter` collecting every message; resolves with the list once the SUBACK came, and the granted QoS. */
export async function collect(client: MqttClient, filter: string, options?: SubscribeOptions): Promise<{ messages: Message[]; granted: number }> {
  const messages: Message[] = [];
  const handler: MessageHandler = (message) => messages.push(message);
  const granted = await client.subscribe(filter, handler, options).ready;
  return { messages, granted };
}

/** A topic prefix no other test shares (no `.`: RabbitMQ would rewrite it). */
export function uniqueTopic(label: string): string {
  return `mk/${label}/${Math.random().toString(36).slice(2, 10)}`;
}

function asBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return Uint8Array.from(data); // a copy: the decoder may keep views
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (Array.isArray(data)) return Uint8Array.from(Buffer.concat(data as Buffer[]));
  return new Uint8Array(0);
}

/** One packet as a short line: type, ids, flags and topics that matter for reading a failover. */
function describePacket(packet: Packet): string {
  switch (packet.type) {
    case 'connect':
      return `CONNECT v${packet.protocolVersion} id=${packet.clientId} clean=${packet.clean}`;
    case 'connack':
      return `CONNACK rc=${packet.reasonCode} sessionPresent=${packet.sessionPresent}`;
    case 'publish':
      return `PUBLISH ${packet.topic} qos=${packet.qos}${packet.packetId === undefined ? '' : ` id=${packet.packetId}`}${packet.dup ? ' dup' : ''} "${new TextDecoder().decode(packet.payload).slice(0, 20)}"`;
    case 'subscribe':
      return `SUBSCRIBE id=${packet.packetId} ${packet.subscriptions.map((s) => s.filter).join(' ')}`;
    case 'suback':
      return `SUBACK id=${packet.packetId} ${packet.reasonCodes.join(',')}`;
    case 'disconnect':
      return `DISCONNECT rc=${packet.reasonCode ?? 0}`;
    default:
      return 'packetId' in packet ? `${packet.type.toUpperCase()} id=${packet.packetId}` : packet.type.toUpperCase();
  }
}

/**
 * Whether the latest connection in `trace` (a `TrackedClient`'s) has working subscriptions: the server kept the
 * session (CONNACK session present) or acknowledged a SUBSCRIBE on it. A client reports `connected` at CONNACK,
 * before its re-subscriptions are processed; a message published in between is not owed to it.
 */
export function subscribedOnLatestConnection(trace: readonly string[]): boolean {
  let label: string | undefined;
  let ready = false;
  for (const line of trace) {
    const match = /^\d+ ms (#\d+ \d+) (.*)$/.exec(line);
    if (match === null) continue;
    const [, socket, event] = match as unknown as [string, string, string];
    if (event.startsWith('<- CONNACK')) {
      label = socket;
      ready = event.endsWith('sessionPresent=true');
    } else if (socket === label && event.startsWith('<- SUBACK')) {
      ready = true;
    }
  }
  return ready;
}

