/** A client wired to a fake clock and fake network, connected or not. */
import { MqttClient } from '../../src/client/client.ts';
import type { ClientOptions } from '../../src/client/types.ts';
import type { PacketOf } from '../../src/codec/packets.ts';
import { FakeClock, FakeNetwork, settle, type FakeConnection } from './fakes.ts';

export interface Harness {
  client: MqttClient;
  clock: FakeClock;
  network: FakeNetwork;
}

export function harness(options: Partial<ClientOptions> = {}): Harness {
  const clock = new FakeClock();
  const network = new FakeNetwork();
  const client = new MqttClient({
    url: 'ws://broker.test/mqtt',
    clock,
    transport: network.factory,
    reconnect: { minDelay: 1_000, maxDelay: 30_000, random: () => 1 },
    ...options,
  });
  return { client, clock, network };
}

/** Starts the client and completes the handshake; returns the live connection with CONNECT already taken off. */
export async function connected(
  h: Harness,
  connack: Partial<PacketOf<'connack'>> = {},
): Promise<FakeConnection> {
  const done = h.client.connect();
  await settle();
  const connection = h.network.accept(connack);
  await done;
  connection.take();
  return connection;
}

/** After a drop, lets the backoff elapse and accepts the next connection. */
export async function reconnected(h: Harness, connack: Partial<PacketOf<'connack'>> = {}): Promise<FakeConnection> {
  const before = h.network.connections.length;
  h.clock.advance(60_000);
  await settle();
  if (h.network.connections.length === before) throw new Error('the client did not reconnect');
  const connection = h.network.accept(connack);
  return connection;
}
