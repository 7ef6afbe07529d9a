/**
 * In Chromium, a page's MqttClient with two ejabberd cluster nodes in `servers` survives the crash of the node it
 * is on: it moves to the other node, subscribes again, keeps receiving, and what it published during the outage
 * arrives once.
 */
import WebSocket from 'ws';
import { MqttClient } from '../packages/core/src/client/index.ts';
import type { Message } from '../packages/core/src/client/types.ts';
import { startEjabberd, type EjabberdCluster, type EjabberdNode } from '../test/support/ejabberd.ts';
import type { FailoverPage } from './pages/failover/main.ts';
import { expect, test } from './fixtures.ts';

let cluster: EjabberdCluster;
let one: EjabberdNode;
let two: EjabberdNode;
const nodeClients: MqttClient[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await startEjabberd({ nodes: 2, users: { alice: 'secret' } });
  [one, two] = cluster.nodes as [EjabberdNode, EjabberdNode];
});
test.afterAll(async () => {
  test.setTimeout(90_000);
  await Promise.all(nodeClients.map((client) => client.close()));
  await cluster?.close();
});

/** A Node-side client on node 2 only: publisher and witness. */
async function nodeTwoClient(): Promise<MqttClient> {
  const client = new MqttClient({ url: two.wsUrl, WebSocket, protocolVersion: 5, username: 'alice', password: 'secret', reconnect: { minDelay: 20, maxDelay: 500 } });
  nodeClients.push(client);
  await client.connect();
  return client;
}

// Chromium reports each refused WebSocket to the crashed node as a console error; that is the failover at work.
const refusedWebSocket = /WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/mqtt' failed/;

test('the page fails over from a crashed ejabberd node to the other one and keeps receiving', async ({ page, servePage, pageErrors }) => {
  test.setTimeout(120_000);
  const topic = `mk/page/${Math.random().toString(36).slice(2, 10)}`;
  const query = new URLSearchParams({ servers: `${one.wsUrl},${two.wsUrl}`, topic, user: 'alice', pass: 'secret' });
  await page.goto(`${await servePage('failover')}?${query}`);
  const snapshot = () => page.evaluate(() => window.failover as FailoverPage);
  await expect(page.locator('#status')).toHaveText('connected', { timeout: 30_000 });
  await expect(page.locator('#server')).toHaveText(one.wsUrl);

  const publisher = await nodeTwoClient();
  const witness = await nodeTwoClient();
  const witnessed: string[] = [];
  await witness.subscribe(`${topic}/#`, (message: Message) => witnessed.push(new TextDecoder().decode(message.payload)), { qos: 1 }).ready;

  await publisher.publish(`${topic}/before`, 'before', { qos: 1 });
  await expect.poll(async () => (await snapshot()).received, { timeout: 15_000 }).toContain('before');

  await one.kill();
  await expect(page.locator('#server')).toHaveText(two.wsUrl, { timeout: 30_000 });
  await expect(page.locator('#status')).toHaveText('connected', { timeout: 30_000 });

  // The publish made during the outage waited in the offline queue and went to node 2 once.
  await expect.poll(async () => (await snapshot()).queuedPublishDone, { timeout: 15_000 }).toBe(true);
  expect((await snapshot()).queuedWhileOffline).toBe(1);

  // Subscribed again on node 2: a message published after the failover arrives.
  await publisher.publish(`${topic}/after`, 'after', { qos: 1 });
  await expect.poll(async () => (await snapshot()).received, { timeout: 15_000 }).toContain('after');
  await publisher.publish(`${topic}/fence`, 'fence', { qos: 1 });
  await expect.poll(() => witnessed.includes('fence'), { timeout: 15_000 }).toBe(true);
  expect(witnessed.filter((payload) => payload === 'queued while offline')).toHaveLength(1);

  const final = await snapshot();
  expect(final.error).toBeUndefined();
  // The crashed node took the persistent session: a clean one on node 2, reported as lost.
  expect(final.states.at(-1)).toMatchObject({ status: 'connected', server: two.wsUrl, sessionPresent: false, sessionLost: true });
  expect(final.states.map((state) => state.server)).toContain(one.wsUrl);
  expect(pageErrors.filter((error) => !refusedWebSocket.test(error))).toEqual([]);
});
