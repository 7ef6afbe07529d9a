/**
 * Clients for the interop suites: `MqttClient` over Node's `ws` with a fast reconnect, every socket it opens
 * recorded (so a test can cut one abruptly), all closed by `closeAll()`; plus waiting on conditions, never sleeping.
 */
import WebSocket from 'ws';
import { MqttClient } from '../../../packages/core/src/client/index.ts';
import type { ClientOptions, Message, MessageHandler, SubscribeOptions } from '../../../packages/core/src/client/types.ts';

/** A client and the sockets it opened, in order. */
export interface TrackedClient {
  client: MqttClient;
  sockets: WebSocket[];
  /** Cuts the current connection without a DISCONNECT or a close frame, like a dropped network. */
  drop(): void;
}

export class Clients {
  readonly #open: MqttClient[] = [];

  constructor(private readonly defaults: Omit<ClientOptions, 'url'> = {}) {}

  create(options: ClientOptions): TrackedClient {
    const sockets: WebSocket[] = [];
    class Tracked extends WebSocket {
      constructor(url: string, protocols: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    }
    const client = new MqttClient({ reconnect: { minDelay: 20, maxDelay: 500 }, ...this.defaults, ...options, WebSocket: Tracked });
    this.#open.push(client);
    return {
      client,
      sockets,
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
