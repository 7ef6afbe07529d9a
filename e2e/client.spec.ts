/**
 * @mqttkit/core's client in Chromium (Vite-built page, browser WebSocket, IndexedDB) against mosquitto: wildcard
 * subscriptions and QoS 0/1/2, a broker restart, and a QoS 1 publish that survives a page reload in IndexedDB.
 */
import WebSocket from 'ws';
import type { Page } from '@playwright/test';
import { MqttClient } from '../packages/core/src/client/index.ts';
import type { Message } from '../packages/core/src/client/types.ts';
import type { Received } from './pages/client/main.ts';
import { expect, startMosquitto, test, type Mosquitto } from './fixtures.ts';

let broker: Mosquitto;
test.beforeAll(async () => {
  broker = await startMosquitto({ persistence: true });
});
test.afterAll(async () => {
  await broker.stop();
});

async function openPage(page: Page, servePage: (name: string) => Promise<string>): Promise<void> {
  await page.goto(await servePage('client'));
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
}

/** A Node-side client (ws) to publish and observe from outside the page. */
async function nodeClient(): Promise<MqttClient> {
  const client = new MqttClient({ url: broker.wsUrl, WebSocket, reconnect: { minDelay: 50, maxDelay: 500 } });
  await client.connect();
  return client;
}

const received = (page: Page) => page.evaluate(() => window.clientPage.received) as Promise<Received[]>;

test.describe('MqttClient in Chromium through mosquitto', () => {
  test('runs without Node globals and keeps the MessageStore contract in IndexedDB', async ({ page, servePage, pageErrors }) => {
    await openPage(page, servePage);
    expect(await page.evaluate(() => window.clientPage.nodeGlobals)).toEqual({ buffer: false, process: false });
    expect(await page.evaluate(() => window.clientPage.storeContract())).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('workerClock() runs timers in a Worker (no page timers), in due order, honouring clearTimeout', async ({ page, servePage, pageErrors }) => {
    await openPage(page, servePage);
    expect(await page.evaluate(() => window.clientPage.workerTimers())).toEqual({ fired: ['20', '60'], pageTimers: 0 });
    expect(pageErrors).toEqual([]);
  });

  for (const protocolVersion of [4, 5] as const) {
    test(`[MQTT-4.7.1-2] v${protocolVersion}: wildcard subscriptions get only their matches, QoS 0/1/2 both ways`, async ({ page, servePage, pageErrors }) => {
      await openPage(page, servePage);
      await page.evaluate((options) => window.clientPage.start(options), {
        url: broker.wsUrl, clientId: `page-wild-${protocolVersion}`, protocolVersion, store: `wild-${protocolVersion}`, wait: true,
      });
      const base = `e2e${protocolVersion}`;
      expect(await page.evaluate((f) => window.clientPage.subscribe(f, 2), `${base}/+/temp`)).toBe(2);
      expect(await page.evaluate((f) => window.clientPage.subscribe(f, 1), `${base}/#`)).toBe(1);
      const outside = await nodeClient();
      const seenOutside: Message[] = [];
      await outside.subscribe(`${base}/out/#`, (m) => seenOutside.push(m), { qos: 2 }).ready;
      try {
        await outside.publish(`${base}/kitchen/temp`, '21', { qos: 2 });
        await outside.publish(`${base}/kitchen/light`, 'on', { qos: 1 });
        await outside.publish(`${base}/hall/temp`, '19', { qos: 0 });
        for (const qos of [0, 1, 2] as const) {
          await page.evaluate(([t, q]) => window.clientPage.publish(t, `from page q${q}`, q, true), [`${base}/out/${qos}`, qos] as const);
        }
        await expect.poll(() => seenOutside.length).toBe(3);
        // A message matching both filters reaches each handler once: at 5.0 mosquitto sends a copy per
        // subscription and the subscription identifiers route each copy to its own handler; at 3.1.1 it sends one.
        const temps = [`${base}/kitchen/temp`, `${base}/hall/temp`];
        const everything = [`${base}/kitchen/temp`, `${base}/kitchen/light`, `${base}/hall/temp`, `${base}/out/0`, `${base}/out/1`, `${base}/out/2`];
        await expect.poll(async () => (await received(page)).length).toBe(temps.length + everything.length);
        const got = await received(page);
        const of = (suffix: string) => got.filter((m) => m.filter.endsWith(suffix));
        expect(new Set(of('/+/temp').map((m) => m.topic))).toEqual(new Set(temps));
        expect(of('/+/temp')).toHaveLength(temps.length);
        expect(of('/#')).toHaveLength(everything.length);
        expect(new Set(of('/#').map((m) => m.topic))).toEqual(new Set(everything));
        expect(of('/+/temp').find((m) => m.topic.endsWith('kitchen/temp'))).toMatchObject({ payload: '21', qos: 2 });
        expect(of('/#').find((m) => m.topic.endsWith('hall/temp'))).toMatchObject({ payload: '19', qos: 0 });
        expect(seenOutside.map((m) => [m.topic, m.qos])).toEqual([[`${base}/out/0`, 0], [`${base}/out/1`, 1], [`${base}/out/2`, 2]]);
      } finally {
        await outside.close();
      }
      expect(pageErrors.filter((e) => !e.includes('WebSocket'))).toEqual([]);
    });
  }

  test('survives a broker restart: reconnects, keeps its subscription, delivers what was published meanwhile', async ({ page, servePage }) => {
    await openPage(page, servePage);
    await page.evaluate((url) => window.clientPage.start({ url, clientId: 'page-restart', protocolVersion: 5, store: 'restart', wait: true }), broker.wsUrl);
    await page.evaluate(() => window.clientPage.subscribe('restart/#', 1));
    await broker.kill('SIGTERM');
    await expect.poll(() => page.evaluate(() => window.clientPage.statuses)).toContain('reconnecting');
    // Published by the page while the broker is down: waits in the offline queue.
    await page.evaluate(() => window.clientPage.publish('restart/queued', 'while down', 1, false));
    await broker.restart();
    await expect.poll(() => page.evaluate(() => window.clientPage.statuses.at(-1)), { timeout: 15_000 }).toBe('connected');
    const outside = await nodeClient();
    try {
      await outside.publish('restart/after', 'after restart', { qos: 1 });
    } finally {
      await outside.close();
    }
    await expect.poll(async () => (await received(page)).map((m) => m.payload).sort()).toEqual(['after restart', 'while down']);
  });

  test('a QoS 1 publish queued offline survives a reload in IndexedDB and is delivered after it', async ({ page, servePage }) => {
    const outside = await nodeClient();
    const seen: string[] = [];
    await outside.subscribe('reload/#', (m) => seen.push(new TextDecoder().decode(m.payload)), { qos: 1 }).ready;
    try {
      await openPage(page, servePage);
      // A server that is not there: the page stays offline and queues.
      await page.evaluate(() => window.clientPage.start({ url: 'ws://127.0.0.1:9/', clientId: 'page-reload', protocolVersion: 5, store: 'reload', wait: false }));
      await page.evaluate(() => window.clientPage.publish('reload/persisted', 'survived a reload', 1, false));
      await expect.poll(() => page.evaluate(() => window.clientPage.stored('reload'))).toEqual([
        { topic: 'reload/persisted', payload: 'survived a reload', packetId: undefined },
      ]);
      await page.reload();
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
      await page.evaluate((url) => window.clientPage.start({ url, clientId: 'page-reload', protocolVersion: 5, store: 'reload', wait: true }), broker.wsUrl);
      await expect.poll(() => seen).toEqual(['survived a reload']);
      await expect.poll(() => page.evaluate(() => window.clientPage.stored('reload'))).toEqual([]);
    } finally {
      await outside.close();
    }
  });
});
