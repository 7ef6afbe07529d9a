/**
 * The failover scenario shared by the cluster tests: subscribers (3.1.1 and 5.0 by default) and a publisher given both nodes in
 * `servers` are on node `from`; a witness sits on node `to`; `end()` takes node `from` away while the publisher,
 * the moment it notices, publishes three messages that must wait in its offline queue. Then every client must be
 * connected to `to`, the subscribers must receive a later message (they subscribed again), and the witness must have
 * seen the queued messages exactly once.
 */
import { expect } from 'vitest';
import type { MqttClient } from '../../../packages/core/src/client/index.ts';
import type { ClientOptions } from '../../../packages/core/src/client/types.ts';
import type { BrokerNode } from '../../support/erlang-node.ts';
import { collect, stateHistory, subscribedOnLatestConnection, text, uniqueTopic, until, type Clients } from './clients.ts';

export interface FailoverOptions {
  clients: Clients;
  from: BrokerNode;
  to: BrokerNode;
  /** Subscribers keep a session across connections (3.1.1 clean=false; 5.0 clean start false, expiry 300 s). */
  persistent: boolean;
  /** Takes `from` away: stop, kill. */
  end: () => Promise<void>;
  /** Protocol levels of the subscribers (default 3.1.1 and 5.0); the publisher and witness use the last. */
  versions?: readonly (4 | 5)[];
}

export interface FailoverSubscriber {
  version: 4 | 5;
  client: MqttClient;
  received: string[];
  history: () => string;
  /** Every packet it sent and received (test/interop/support/clients.ts). */
  trace: string[];
}

export async function failover({ clients, from, to, persistent, end, versions = [4, 5] }: FailoverOptions): Promise<{ subscribers: FailoverSubscriber[] }> {
  const topic = uniqueTopic('failover');
  const servers = [from.wsUrl, to.wsUrl];
  const tag = Math.random().toString(36).slice(2, 8);
  const options = (version: 4 | 5): ClientOptions => ({
    servers,
    protocolVersion: version,
    clientId: `mk-fo-${version}-${tag}`,
    ...(persistent ? { clean: false, ...(version === 5 ? { sessionExpiryInterval: 300 } : {}) } : {}),
  });
  const level = versions.at(-1) ?? 5;
  const subscribers = await Promise.all(versions.map(async (version): Promise<FailoverSubscriber> => {
    const { client, trace } = clients.create(options(version));
    const history = stateHistory(client);
    await client.connect();
    const received: string[] = [];
    await client.subscribe(`${topic}/#`, (message) => received.push(text(message)), { qos: 1 }).ready;
    return { version, client, received, history, trace };
  }));
  const { client: publisher, trace: publisherTrace } = await clients.connected({ servers, protocolVersion: level });
  const publisherHistory = stateHistory(publisher);
  const { client: witness } = await clients.connected({ url: to.wsUrl, protocolVersion: level });
  const witnessed = await collect(witness, `${topic}/#`, { qos: 1 });
  for (const client of [...subscribers.map((s) => s.client), publisher]) expect(client.state.getSnapshot().server).toBe(from.wsUrl);

  await publisher.publish(`${topic}/before`, 'before', { qos: 1 });
  await until(() => subscribers.every((s) => s.received.includes('before')), 'the first message');

  const queued = queueDuringOutage(publisher, (client) => [1, 2, 3].map((n) => client.publish(`${topic}/queued`, `queued ${n}`, { qos: 1 })));
  await end();

  const explain = () =>
    [
      ...subscribers.map((s) => `level ${s.version} subscriber got ${JSON.stringify(s.received)}:\n${s.history()}\npackets:\n${s.trace.join('\n')}`),
      `publisher:\n${publisherHistory()}\npackets:\n${publisherTrace.join('\n')}`,
    ].join('\n');
  const onTarget = (client: MqttClient) => client.state.getSnapshot().status === 'connected' && client.state.getSnapshot().server === to.wsUrl;
  await until(() => [...subscribers.map((s) => s.client), publisher].every(onTarget), 'every client to reconnect to the other node', 30_000, explain);
  const outage = await queued;
  expect(outage.queuedWhileOffline).toBe(3);
  await Promise.all(outage.results);

  // Subscribed again: once node 2 acknowledged each re-SUBSCRIBE (or kept the session), a message published now
  // arrives. Not before: `connected` comes at CONNACK, and a message published before node 2 processed a
  // subscriber's SUBSCRIBE is not owed to it (nor is the offline queue, which may have gone out in between).
  await until(() => subscribers.every((s) => subscribedOnLatestConnection(s.trace)), 'every subscriber subscribed on the other node', 15_000, explain);
  await publisher.publish(`${topic}/after`, 'after', { qos: 1 });
  await until(() => subscribers.every((s) => s.received.includes('after')), 'a message after the failover', 15_000, explain);

  // The witness saw the queued messages exactly once, before the later one.
  await until(() => witnessed.messages.some((m) => text(m) === 'after'), 'the witness to see the later message');
  expect(witnessed.messages.map(text).filter((payload) => payload.startsWith('queued'))).toEqual(['queued 1', 'queued 2', 'queued 3']);
  expect(publisher.state.getSnapshot().queued).toBe(0);
  return { subscribers };
}

/**
 * Calls `publish` on the first state change that leaves `connected` (in a microtask, outside the store's
 * notification; no connection can open before it runs). Resolves with the publishes' promises once the client is
 * connected again, and the most publishes its state showed waiting meanwhile.
 */
function queueDuringOutage(
  client: MqttClient,
  publish: (client: MqttClient) => Promise<void>[],
): Promise<{ queuedWhileOffline: number; results: Promise<void>[] }> {
  return new Promise((resolve) => {
    let results: Promise<void>[] | undefined;
    let queuedWhileOffline = 0;
    const unsubscribe = client.state.subscribe(() => {
      const { status, queued } = client.state.getSnapshot();
      if (status !== 'connected') {
        queuedWhileOffline = Math.max(queuedWhileOffline, queued);
        if (results === undefined) {
          const started: Promise<void>[] = [];
          results = started;
          queueMicrotask(() => started.push(...publish(client)));
        }
      } else if (results !== undefined) {
        unsubscribe();
        resolve({ queuedWhileOffline, results });
      }
    });
  });
}
