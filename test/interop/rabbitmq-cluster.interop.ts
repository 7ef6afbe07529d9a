/**
 * A 2-node RabbitMQ 3.10.8 cluster on loopback (`npm run test:interop`: two nodes cost 20-30 s to start):
 * messages and wills cross nodes, retained messages are per node, and when node 1 stops, clean-session clients
 * with both nodes in `servers` move to node 2, subscribe again, keep receiving, and their outage queue arrives once.
 * Node 1 is not restarted: with 2 nodes its MQTT plugin waits ~110 s for a Raft majority before it listens again.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitMq, type RabbitMqCluster, type RabbitMqNode } from '../support/rabbitmq.ts';
import { Clients, collect, text, uniqueTopic, until } from './support/clients.ts';
import { failover } from './support/failover.ts';

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

describe('RabbitMQ cluster, MQTT level 4: across nodes', () => {
  it.each([0, 1, 2] as const)('a QoS %i message published on node 2 reaches a subscriber on node 1', async (qos) => {
    const topic = uniqueTopic(`cross${qos}`);
    const { client: subscriber } = await clients.connected({ url: one.wsUrl });
    const { messages, granted } = await collect(subscriber, `${topic}/#`, { qos });
    // Quirk (RabbitMQ): QoS 2 is downgraded to 1.
    const expected = Math.min(qos, 1);
    expect(granted).toBe(expected);
    const { client: publisher } = await clients.connected({ url: two.wsUrl });
    await publisher.publish(`${topic}/x`, `via node 2 at ${qos}`, { qos });
    await until(() => messages.length === 1, 'the message from the other node');
    expect(messages[0]).toMatchObject({ topic: `${topic}/x`, qos: expected });
    expect(text(messages[0]!)).toBe(`via node 2 at ${qos}`);
  });

  it('[MQTT-3.1.2-8] the will of a client dropped from node 1 reaches a subscriber on node 2', async () => {
    const topic = uniqueTopic('crosswill');
    const { client: watcher } = await clients.connected({ url: two.wsUrl });
    const { messages } = await collect(watcher, topic, { qos: 1 });
    const dying = await clients.connected({ url: one.wsUrl, reconnect: false, will: { topic, payload: 'lost', qos: 1 } });
    dying.drop();
    await until(() => messages.length === 1, 'the will on the other node');
    expect(text(messages[0]!)).toBe('lost');
  });

  it('[MQTT-3.3.1-6] a retained message is served by the node it was published on (retained stores are per node)', async () => {
    const topic = uniqueTopic('retained');
    const { client: publisher } = await clients.connected({ url: two.wsUrl });
    await publisher.publish(topic, 'kept on node 2', { qos: 1, retain: true });
    const { client: sameNode } = await clients.connected({ url: two.wsUrl });
    const { messages } = await collect(sameNode, topic, { qos: 1 });
    await until(() => messages.length === 1, 'the retained message on the same node');
    expect(messages[0]).toMatchObject({ topic, retain: true });

    // Quirk (RabbitMQ 3.x): the retained store (rabbit_mqtt_retained_msg_store_dets) is per node.
    const { client: otherNode } = await clients.connected({ url: one.wsUrl });
    const elsewhere = await collect(otherNode, topic, { qos: 1 });
    const fence = await collect(otherNode, `${topic}-fence`, { qos: 1 });
    await otherNode.publish(`${topic}-fence`, 'fence', { qos: 1 });
    await until(() => fence.messages.length === 1, 'the fence');
    expect(elsewhere.messages).toEqual([]);
  });
});

describe('RabbitMQ cluster: failover through `servers`', () => {
  // Clean sessions only: a persistent session's queue lives on node 1, and node 2 closes the connection of a
  // SUBSCRIBE for it while node 1 is down (NOT_FOUND, home node of the durable queue is down).
  it('node 1 stops: clean-session clients move to node 2, subscribe again, keep receiving; the outage queue arrives once', async () => {
    const outcome = await failover({ clients, from: one, to: two, persistent: false, end: () => one.stop(), versions: [4] });
    for (const subscriber of outcome.subscribers) expect(subscriber.client.state.getSnapshot()).toMatchObject({ sessionPresent: false, sessionLost: false });
  }, 120_000);
});
