/**
 * Two nodes of one cluster: QoS 0/1/2 and wills cross from node to node; retained messages stay on the node they
 * were published on (both ejabberd 23.01 and RabbitMQ 3.10 keep retained messages per node).
 */
import { describe, expect, it } from 'vitest';
import type { ProtocolVersion, QoS } from '../../../packages/core/src/codec/packets.ts';
import type { BrokerNode } from '../../support/erlang-node.ts';
import { collect, text, uniqueTopic, until, type Clients } from '../support/clients.ts';

export interface ClusterTarget {
  name: string;
  version: ProtocolVersion;
  clients: Clients;
  /** Node 1 and node 2; a function because the cluster starts in `beforeAll`. */
  nodes(): readonly [BrokerNode, BrokerNode];
  /** RabbitMQ downgrades QoS 2 to 1. */
  maximumQoS: QoS;
}

export function describeAcrossNodes(target: ClusterTarget): void {
  const { clients, version } = target;
  describe(`${target.name} cluster, MQTT level ${version}: across nodes`, () => {
    it.each([0, 1, 2] as const)('a QoS %i message published on node 2 reaches a subscriber on node 1', async (qos) => {
      const [one, two] = target.nodes();
      const topic = uniqueTopic(`cross${qos}`);
      const expected = Math.min(qos, target.maximumQoS);
      const { client: subscriber } = await clients.connected({ url: one.wsUrl, protocolVersion: version });
      const { messages, granted } = await collect(subscriber, `${topic}/#`, { qos });
      // Quirk (RabbitMQ): QoS 2 is granted and delivered as 1.
      expect(granted).toBe(expected);
      const { client: publisher } = await clients.connected({ url: two.wsUrl, protocolVersion: version });
      await publisher.publish(`${topic}/x`, `via node 2 at ${qos}`, { qos });
      await until(() => messages.length === 1, 'the message from the other node');
      expect(messages[0]).toMatchObject({ topic: `${topic}/x`, qos: expected });
      expect(text(messages[0]!)).toBe(`via node 2 at ${qos}`);
    });

    it('[MQTT-3.1.2-8] the will of a client dropped from node 1 reaches a subscriber on node 2', async () => {
      const [one, two] = target.nodes();
      const topic = uniqueTopic('crosswill');
      const { client: watcher } = await clients.connected({ url: two.wsUrl, protocolVersion: version });
      const { messages } = await collect(watcher, topic, { qos: 1 });
      const dying = await clients.connected({ url: one.wsUrl, protocolVersion: version, reconnect: false, will: { topic, payload: 'lost', qos: 1 } });
      dying.drop();
      await until(() => messages.length === 1, 'the will on the other node');
      expect(text(messages[0]!)).toBe('lost');
    });

    it('[MQTT-3.3.1-6] a retained message is served by the node it was published on (retained stores are per node)', async () => {
      const [one, two] = target.nodes();
      const topic = uniqueTopic('retained');
      const { client: publisher } = await clients.connected({ url: two.wsUrl, protocolVersion: version });
      await publisher.publish(topic, 'kept on node 2', { qos: 1, retain: true });
      const { client: sameNode } = await clients.connected({ url: two.wsUrl, protocolVersion: version });
      const { messages } = await collect(sameNode, topic, { qos: 1 });
      await until(() => messages.length === 1, 'the retained message on the same node');
      expect(messages[0]).toMatchObject({ topic, retain: true });

      // Quirk (both): ejabberd's mod_mqtt looks retained topics up in a per-node cache; RabbitMQ 3.x keeps them in a
      // per-node store. Node 1 does not serve what node 2 retained.
      const { client: otherNode } = await clients.connected({ url: one.wsUrl, protocolVersion: version });
      const elsewhere = await collect(otherNode, topic, { qos: 1 });
      const fence = await collect(otherNode, `${topic}-fence`, { qos: 1 });
      await otherNode.publish(`${topic}-fence`, 'fence', { qos: 1 });
      await until(() => fence.messages.length === 1, 'the fence');
      expect(elsewhere.messages).toEqual([]);
    });
  });
}
