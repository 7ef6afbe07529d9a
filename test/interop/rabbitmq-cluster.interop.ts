/**
 * A 2-node RabbitMQ 3.10.8 cluster on loopback (`npm run test:interop`: two nodes cost 20-30 s to start):
 * messages and wills cross nodes, retained messages are per node, and when node 1 stops, clean-session clients
 * with both nodes in `servers` move to node 2, subscribe again, keep receiving, and their outage queue arrives once.
 * Node 1 is not restarted: with 2 nodes its MQTT plugin waits ~110 s for a Raft majority before it listens again.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitMq, type RabbitMqCluster, type RabbitMqNode } from '../support/rabbitmq.ts';
import { Clients } from './support/clients.ts';
import { failover } from './support/failover.ts';
import { describeAcrossNodes } from './suite/across-nodes.ts';

let cluster: RabbitMqCluster;
let one: RabbitMqNode;
let two: RabbitMqNode;

beforeAll(async () => {
  cluster = await startRabbitMq({ nodes: 2 });
  [one, two] = cluster.nodes as [RabbitMqNode, RabbitMqNode];
}, 240_000);
afterAll(async () => {
  await cluster?.close();
}, 90_000);

// RabbitMQ 3.10 speaks 3.1.1, not 5.0.
const clients = new Clients({ protocolVersion: 4, username: 'guest', password: 'guest' });
afterEach(() => clients.closeAll());

// Quirk (RabbitMQ): QoS 2 is downgraded to 1.
describeAcrossNodes({ name: 'RabbitMQ 3.10.8', version: 4, clients, nodes: () => [one, two], maximumQoS: 1 });

describe('RabbitMQ cluster: failover through `servers`', () => {
  // Clean sessions only: a persistent session's queue lives on node 1, and node 2 closes the connection of a
  // SUBSCRIBE for it while node 1 is down (NOT_FOUND, home node of the durable queue is down).
  it('node 1 stops: clean-session clients move to node 2, subscribe again, keep receiving; the outage queue arrives once', async () => {
    const outcome = await failover({ clients, from: one, to: two, persistent: false, end: () => one.stop(), versions: [4] });
    for (const subscriber of outcome.subscribers) expect(subscriber.client.state.getSnapshot()).toMatchObject({ sessionPresent: false, sessionLost: false });
  }, 120_000);
});
