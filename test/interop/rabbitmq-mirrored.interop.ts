/**
 * A 2-node RabbitMQ 3.10.8 cluster whose MQTT session queues are mirrored (classic mirrored queues: a policy with
 * `ha-mode: all` on `mqtt-subscription-*`). Compare rabbitmq-cluster.interop.ts, where the default unmirrored
 * queue dies with its node: here a persistent session (clean session false, QoS 1) homed on node 1 survives node
 * 1's stop, and the client moving to node 2 through `servers` must carry on with it.
 */
import { describe, expect, it } from 'vitest';
import { stateHistory, subscribedOnLatestConnection, text, uniqueTopic, until } from './support/clients.ts';
import { useRabbitMqPair } from './support/rabbitmq-cluster.ts';

const pair = useRabbitMqPair((one) =>
  one.ctl('set_policy', '--apply-to', 'queues', 'mqtt-sessions-mirrored', '^mqtt-subscription-', '{"ha-mode":"all","ha-sync-mode":"automatic"}'),
);
const { clients } = pair;

describe('RabbitMQ cluster with mirrored session queues: persistent session across node loss', () => {
  it('node 1 stops: the persistent subscriber moves to node 2, and what was published meanwhile arrives', async () => {
    const [one, two] = pair.nodes();
    const topic = uniqueTopic('rmq-mirrored');
    const { client, trace } = clients.create({ servers: [one.wsUrl, two.wsUrl], clientId: `mk-rmq-m-${topic.slice(-8)}`, clean: false });
    const history = stateHistory(client);
    await client.connect();
    const received: string[] = [];
    await client.subscribe(`${topic}/#`, (message) => received.push(text(message)), { qos: 1 }).ready;
    const { client: publisher } = await clients.connected({ url: two.wsUrl });
    await publisher.publish(`${topic}/before`, 'before', { qos: 1 });
    await until(() => received.includes('before'), 'the first message');
    const explain = () => `received ${JSON.stringify(received)}\n${history()}\npackets:\n${trace.join('\n')}`;

    await one.stop();
    for (const n of [1, 2, 3]) await publisher.publish(`${topic}/during`, `during ${n}`, { qos: 1 });
    await until(() => client.state.getSnapshot().status === 'connected' && client.state.getSnapshot().server === two.wsUrl, 'the client on node 2', 30_000, explain);
    await until(() => subscribedOnLatestConnection(trace), 'its subscription on node 2', 15_000, explain);
    await publisher.publish(`${topic}/after`, 'after', { qos: 1 });
    await until(() => received.includes('after'), 'a message after the failover', 15_000, explain);
    // Expected of RabbitMQ with mirroring: node 2 promotes its mirror of the session queue, answers session
    // present, and keeps consuming it for the client; the messages published while node 1 went away were queued
    // in it. The client keeps its subscription (no SUBSCRIBE sent again) and reports nothing lost.
    expect(client.state.getSnapshot(), explain()).toMatchObject({ sessionPresent: true, sessionLost: false });
    // QoS 1 is at least once: node 1 stops right after we acknowledged 'before', and when our PUBACK had not
    // reached the mirror yet, node 2 delivers it again, with DUP set. Nothing else may repeat or go missing.
    const redelivered = trace.some((line) => line.includes('<- PUBLISH') && line.endsWith(' dup "before"'));
    expect(received, explain()).toEqual(['before', ...(redelivered ? ['before'] : []), 'during 1', 'during 2', 'during 3', 'after']);
    expect(trace.filter((line) => line.includes('-> SUBSCRIBE')), explain()).toHaveLength(1);
  }, 120_000);
});
