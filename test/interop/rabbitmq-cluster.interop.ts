/**
 * A 2-node RabbitMQ 3.10.8 cluster on loopback (`npm run test:interop`: two nodes cost 20-30 s to start):
 * messages and wills cross nodes, retained messages are per node, and when node 1 stops, clean-session clients
 * with both nodes in `servers` move to node 2, subscribe again, keep receiving, and their outage queue arrives once;
 * a persistent session homed on node 1 is lost with it (classic queue), which the client reports.
 * Node 1 is not restarted: with 2 nodes its MQTT plugin waits ~110 s for a Raft majority before it listens again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RabbitMqNode } from '../support/rabbitmq.ts';
import { Clients, stateHistory, text, uniqueTopic, until } from './support/clients.ts';
import { failover } from './support/failover.ts';
import { useRabbitMqPair } from './support/rabbitmq-cluster.ts';
import { describeAcrossNodes } from './suite/across-nodes.ts';

const pair = useRabbitMqPair();
const { clients } = pair;
let one: RabbitMqNode;
let two: RabbitMqNode;
beforeAll(() => {
  [one, two] = pair.nodes();
});

// Quirk (RabbitMQ): QoS 2 is downgraded to 1.
describeAcrossNodes({ name: 'RabbitMQ 3.10.8', version: 4, clients, nodes: () => [one, two], maximumQoS: 1 });

describe('RabbitMQ cluster: failover through `servers`', () => {
  // One stop of node 1 serves both checks (a stopped node of a 2-node cluster takes ~110 s to come back).
  it('node 1 stops: clean-session clients move to node 2, subscribe again, keep receiving, the outage queue arrives once; a persistent session homed on node 1 is reported lost, and every promise settles', async () => {
    const persistent = await persistentSubscriberOn(one, two);
    const outcome = await failover({ clients, from: one, to: two, persistent: false, end: () => one.stop(), versions: [4] });
    for (const subscriber of outcome.subscribers) expect(subscriber.client.state.getSnapshot()).toMatchObject({ sessionPresent: false, sessionLost: false });
    await persistent.expectLostOnSecondNode();
  }, 120_000);
});

/**
 * A clean=false client with a QoS 1 subscription, connected to `home` with both nodes in `servers`.
 *
 * Expected of RabbitMQ 3.10 (not a client fault): the session's queue is a classic durable queue on its home node
 * only (`mqtt.durable_queue_type` defaults to classic; no mirroring policy), so while that node is down the other
 * node answers CONNECT with session present = false, and a SUBSCRIBE for that client id makes it close the
 * connection without a SUBACK (its log: NOT_FOUND, home node of durable queue 'mqtt-subscription-...' is down).
 * Every reconnect to it goes the same way until the home node is back. What the client owes: report the lost
 * session, subscribe again once per connection (no duplicates), and settle every promise.
 */
async function persistentSubscriberOn(home: RabbitMqNode, other: RabbitMqNode) {
  const topic = uniqueTopic('rmq-persistent');
  const filter = `${topic}/#`;
  const tracked = clients.create({ servers: [home.wsUrl, other.wsUrl], clientId: `mk-rmq-p-${topic.slice(-8)}`, clean: false });
  const { client, trace } = tracked;
  const history = stateHistory(client);
  let lostOnOther = 0;
  client.state.subscribe(() => {
    const { status, server, sessionPresent, sessionLost } = client.state.getSnapshot();
    if (status === 'connected' && server === other.wsUrl && !sessionPresent && sessionLost) lostOnOther++;
  });
  await client.connect();
  const received: string[] = [];
  expect(await client.subscribe(filter, (message) => received.push(text(message)), { qos: 1 }).ready).toBe(1);
  expect(client.state.getSnapshot()).toMatchObject({ server: home.wsUrl, sessionLost: false });

  /** The packets of each connection to `other`, as lines without the time. */
  const connectionsToOther = () => {
    const port = ` ${new URL(other.wsUrl).port} `;
    const byLabel = new Map<string, string[]>();
    for (const line of trace) {
      const match = /^\d+ ms (#\d+ \d+) (.*)$/.exec(line);
      if (match === null || !line.includes(port)) continue;
      byLabel.set(match[1]!, [...(byLabel.get(match[1]!) ?? []), match[2]!]);
    }
    return [...byLabel.values()];
  };
  const explain = () => `${history()}\npackets:\n${trace.join('\n')}\nnode 2 log tail:\n${other.logs().slice(-3_000)}`;

  return {
    async expectLostOnSecondNode() {
      // Two rounds of the same answer: session absent, SUBSCRIBE, connection closed without SUBACK.
      const refusedRounds = () =>
        connectionsToOther().filter((packets) =>
          packets.some((p) => p === '<- CONNACK rc=0 sessionPresent=false') && packets.at(-1)?.startsWith('closed') === true,
        );
      await until(() => refusedRounds().length >= 2 && lostOnOther >= 2, 'two connections to node 2 reporting the lost session', 30_000, explain);
      for (const packets of refusedRounds()) {
        // Subscribed again once per connection, and never acknowledged.
        expect(packets.filter((p) => p.startsWith('-> SUBSCRIBE')), explain()).toEqual([expect.stringMatching(new RegExp(`^-> SUBSCRIBE id=\\d+ ${filter}$`))]);
        expect(packets.some((p) => p.startsWith('<- SUBACK')), explain()).toBe(false);
      }
      expect(other.logs()).toMatch(/NOT_FOUND - home node '[^']+' of durable queue 'mqtt-subscription-mk-rmq-p-/);
      expect(received).toEqual([]);

      // Promises made in this state settle: a publish and a new subscription, then close().
      const publish = client.publish(`${topic}/late`, 'late', { qos: 1 });
      const subscription = client.subscribe(`${topic}/other`, () => {}, { qos: 1 });
      await client.close();
      const outcomes = await Promise.race([
        Promise.allSettled([publish, subscription.ready]),
        new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 5_000)),
      ]);
      expect(outcomes, 'a promise still pending 5 s after close()').not.toBe('pending');
    },
  };
}
