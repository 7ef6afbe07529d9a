/**
 * A 2-node ejabberd 23.01 cluster on loopback: messages, QoS 2 flows and wills cross nodes; retained messages are
 * per node; and when node 1 stops or crashes, clients given both nodes in `servers` move to node 2, subscribe again
 * and keep receiving, and what they published during the outage arrives once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEjabberd, type EjabberdCluster, type EjabberdNode } from '../support/ejabberd.ts';
import { Clients, collect, text, uniqueTopic, until } from './support/clients.ts';
import { failover } from './support/failover.ts';

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

describe.each([4, 5] as const)('ejabberd cluster, MQTT level %i: across nodes', (version) => {
  it.each([0, 1, 2] as const)('a QoS %i message published on node 2 reaches a subscriber on node 1', async (qos) => {
    const topic = uniqueTopic(`cross${qos}`);
    const { client: subscriber } = await clients.connected({ url: one.wsUrl, protocolVersion: version });
    const { messages, granted } = await collect(subscriber, `${topic}/#`, { qos });
    expect(granted).toBe(qos);
    const { client: publisher } = await clients.connected({ url: two.wsUrl, protocolVersion: version });
    await publisher.publish(`${topic}/x`, `via node 2 at ${qos}`, { qos });
    await until(() => messages.length === 1, 'the message from the other node');
    expect(messages[0]).toMatchObject({ topic: `${topic}/x`, qos });
    expect(text(messages[0]!)).toBe(`via node 2 at ${qos}`);
  });

  it('[MQTT-3.1.2-8] the will of a client dropped from node 1 reaches a subscriber on node 2', async () => {
    const topic = uniqueTopic('crosswill');
    const { client: watcher } = await clients.connected({ url: two.wsUrl, protocolVersion: version });
    const { messages } = await collect(watcher, topic, { qos: 1 });
    const dying = await clients.connected({ url: one.wsUrl, protocolVersion: version, reconnect: false, will: { topic, payload: 'lost', qos: 1 } });
    dying.drop();
    await until(() => messages.length === 1, 'the will on the other node');
    expect(text(messages[0]!)).toBe('lost');
  });

  it('[MQTT-3.3.1-6] a retained message is served by the node it was published on (retained stores are per node)', async () => {
    const topic = uniqueTopic('retained');
    const { client: publisher } = await clients.connected({ url: two.wsUrl, protocolVersion: version });
    await publisher.publish(topic, 'kept on node 2', { qos: 1, retain: true });
    const { client: sameNode } = await clients.connected({ url: two.wsUrl, protocolVersion: version });
    const { messages } = await collect(sameNode, topic, { qos: 1 });
    await until(() => messages.length === 1, 'the retained message on the same node');
    expect(messages[0]).toMatchObject({ topic, retain: true });

    // Quirk (ejabberd): mod_mqtt looks retained topics up in a per-node cache, so node 1 does not serve it.
    const { client: otherNode } = await clients.connected({ url: one.wsUrl, protocolVersion: version });
    const elsewhere = await collect(otherNode, topic, { qos: 1 });
    const fence = await collect(otherNode, `${topic}-fence`, { qos: 1 });
    await otherNode.publish(`${topic}-fence`, 'fence', { qos: 1 });
    await until(() => fence.messages.length === 1, 'the fence');
    expect(elsewhere.messages).toEqual([]);
  });
});

describe('ejabberd cluster: failover through `servers`', () => {
  it('node 1 stops: clean-session clients move to node 2, subscribe again, keep receiving; the outage queue arrives once', async () => {
    const outcome = await failover({ clients, from: one, to: two, persistent: false, end: () => one.stop() });
    for (const subscriber of outcome.subscribers) expect(subscriber.client.state.getSnapshot()).toMatchObject({ sessionPresent: false, sessionLost: false });
  }, 90_000);

  it('node 1 restarts and rejoins the cluster by itself: node 2 publishes reach it again', async () => {
    await one.restart();
    const topic = uniqueTopic('rejoin');
    const { client: subscriber } = await clients.connected({ url: one.wsUrl, protocolVersion: 5 });
    const { messages } = await collect(subscriber, topic, { qos: 1 });
    const { client: publisher } = await clients.connected({ url: two.wsUrl, protocolVersion: 5 });
    // Until node 2 routes to node 1 again, its publishes find no subscriber: publish once per check.
    await until(() => {
      void publisher.publish(topic, 'rejoined', { qos: 0 });
      return messages.length > 0;
    }, 'a message across the rejoined cluster', 30_000);
    expect(text(messages[0]!)).toBe('rejoined');
  }, 90_000);

  // A crash, not a stop: a graceful stop may hand a young persistent session over to node 2 with session present
  // but no working subscription (ejabberd 23.01 quirk, seen in 2 of ~10 runs here), which no client can detect.
  it('node 1 crashes: persistent-session clients move to node 2, report the lost session, subscribe again, keep receiving', async () => {
    const outcome = await failover({ clients, from: one, to: two, persistent: true, end: () => one.kill() });
    for (const subscriber of outcome.subscribers) expect(subscriber.client.state.getSnapshot()).toMatchObject({ sessionPresent: false, sessionLost: true });
  }, 90_000);
});
