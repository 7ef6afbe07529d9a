/**
 * A 2-node ejabberd 23.01 cluster on loopback: messages, QoS 2 flows and wills cross nodes; retained messages are
 * per node; and when node 1 crashes, clients given both nodes in `servers` move to node 2, subscribe again and keep
 * receiving, and what they published during the outage arrives once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEjabberd, type EjabberdCluster, type EjabberdNode } from '../support/ejabberd.ts';
import { Clients } from './support/clients.ts';
import { failover } from './support/failover.ts';
import { describeAcrossNodes } from './suite/across-nodes.ts';

let cluster: EjabberdCluster;
let one: EjabberdNode;
let two: EjabberdNode;

beforeAll(async () => {
  cluster = await startEjabberd({ nodes: 2, users: { alice: 'secret' } });
  [one, two] = cluster.nodes as [EjabberdNode, EjabberdNode];
}, 180_000);
afterAll(async () => {
  await cluster?.close();
}, 90_000);

// Quirk: ejabberd needs a username and a non-empty password on every CONNECT.
const clients = new Clients({ username: 'alice', password: 'secret' });
afterEach(() => clients.closeAll());

for (const version of [4, 5] as const) {
  describeAcrossNodes({ name: 'ejabberd 23.01', version, clients, nodes: () => [one, two], maximumQoS: 2 });
}

describe('ejabberd cluster: failover through `servers`', () => {
  // A crash, not a graceful stop: after `stop()` of node 1, clients that reconnected to node 2 sometimes received
  // nothing there (2 of 12 runs here, clean and persistent sessions alike, even when they reconnected only after
  // node 1 had exited); in one packet trace node 2 resumed the session (session present) without a working
  // subscription. The crash never showed it (0 of ~25 runs). The 2-node RabbitMQ suite (test:interop) covers a stop.
  it('node 1 crashes: persistent-session clients move to node 2, report the lost session, subscribe again, keep receiving; the outage queue arrives once', async () => {
    const outcome = await failover({ clients, from: one, to: two, persistent: true, end: () => one.kill() });
    for (const subscriber of outcome.subscribers) expect(subscriber.client.state.getSnapshot()).toMatchObject({ sessionPresent: false, sessionLost: true });
  }, 90_000);
});
