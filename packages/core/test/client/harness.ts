/** A client wired to a fake clock and fake network, connected or not. */
import { MqttClient } from '../../src/client/client.ts';
import { MqttClientCore } from '../../src/client/client-core.ts';
import type { ClientFeatures } from '../../src/client/features.ts';
import type { ClientOptions } from '../../src/client/types.ts';
import type { PacketOf } from '../../src/codec/packets.ts';
import { FakeClock, FakeNetwork, settle, type FakeConnection } from './fakes.ts';

export interface Harness<Client extends MqttClientCore = MqttClient> {
  client: Client;
  clock: FakeClock;
  network: FakeNetwork;
}

export function harness(options: Partial<ClientOptions> = {}): Harness {
  const clock = new FakeClock();
  const network = new FakeNetwork();
  return { client: new MqttClient(fakeOptions(clock, network, options)), clock, network };
}

/** The same, with a client that has only `features` (what `createClient` builds). */
export function coreHarness(features: ClientFeatures, options: Partial<ClientOptions> = {}): Harness<MqttClientCore> {
  const clock = new FakeClock();
  const network = new FakeNetwork();
  return { client: new MqttClientCore(fakeOptions(clock, network, options), features), clock, network };
}

function fakeOptions(clock: FakeClock, network: FakeNetwork, options: Partial<ClientOptions>): ClientOptions {
  return {
    url: 'ws://broker.test/mqtt',
    clock,
    transport: network.factory,
    reconnect: { minDelay: 1_000, maxDelay: 30_000, random: () => 1 },
    ...options,
  };
}

/** Starts the client and completes the handshake; returns the live connection with CONNECT already taken off. */
export async function connected(
  h: Harness<MqttClientCore>,
  connack: Partial<PacketOf<'connack'>> = {},
): Promise<FakeConnection> {
  const done = h.client.connect();
  await settle();
  const connection = h.network.accept(connack);
  await done;
  connection.take();
  return connection;
}

/** Starts the client and completes the handshake, keeping on the connection what the client sent (unlike `connected`). */
export async function accepted(h: Harness<MqttClientCore>, connack: Partial<PacketOf<'connack'>> = {}): Promise<FakeConnection> {
  void h.client.connect();
  await settle();
  const connection = h.network.accept(connack);
  await settle();
  return connection;
}

/** After a drop, lets the backoff elapse and accepts the next connection. */
export async function reconnected(h: Harness<MqttClientCore>, connack: Partial<PacketOf<'connack'>> = {}): Promise<FakeConnection> {
  const before = h.network.connections.length;
  h.clock.advance(60_000);
  await settle();
  if (h.network.connections.length === before) throw new Error('the client did not reconnect');
  const connection = h.network.accept(connack);
  return connection;
}
