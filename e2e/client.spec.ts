/**
 * @mqttkit/core's client in Chromium (Vite-built page, browser WebSocket, IndexedDB) against mosquitto: wildcard
 * subscriptions and QoS 0/1/2, a broker restart, the network taken offline and back, clock jumps as in a
 * throttled hidden tab, and a QoS 1 publish that survives a page reload in IndexedDB (issue 8, Faults: Browser).
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

/**
 * The page's persistent 5.0 client subscribed at QoS 1 to `{name}/in/#`, and a Node-side peer subscribed to
 * `{name}/out/#` recording the payloads it gets.
 */
async function bothWays(page: Page, servePage: (name: string) => Promise<string>, name: string, keepalive: number): Promise<{ outside: MqttClient; seenOutside: string[] }> {
  const outside = await nodeClient();
  const seenOutside: string[] = [];
  try {
    await outside.subscribe(`${name}/out/#`, (m) => seenOutside.push(new TextDecoder().decode(m.payload)), { qos: 1 }).ready;
    await openPage(page, servePage);
    await page.evaluate((o) => window.clientPage.start({ url: o.url, clientId: `page-${o.name}`, protocolVersion: 5, store: o.name, wait: true, keepalive: o.keepalive }), { url: broker.wsUrl, name, keepalive });
    await page.evaluate((filter) => window.clientPage.subscribe(filter, 1), `${name}/in/#`);
  } catch (error) {
    await outside.close();
    throw error;
  }
  return { outside, seenOutside };
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

  // What Chromium does (measured with its Playwright build here): `context.setOffline(true)` does NOT close an
  // open WebSocket: no close or error event, readyState stays OPEN, `navigator.onLine` turns false, and frames are
  // held both ways (a one-off probe with a plain ws server: what either side sent while offline arrived only after
  // setOffline(false)). Only the client's keepalive finds the stalled link (a PINGREQ unanswered: ~3-4 s with
  // keepalive 2 s and the default 1 s ping timeout); the client then waits in 'offline' for the `online` event.
  test('offline and back (context.setOffline): the keepalive finds the dead link, reconnects by itself, QoS 1 both ways arrives', async ({ page, context, servePage }) => {
    const count = 5;
    const { outside, seenOutside } = await bothWays(page, servePage, 'offline', 2);
    try {
      await context.setOffline(true);
      await expect.poll(() => page.evaluate(() => window.clientPage.statuses.at(-1)), { timeout: 15_000 }).toBe('offline');
      expect(await page.evaluate(() => window.clientPage.errors)).toEqual([expect.stringContaining('did not answer PINGREQ')]);
      const lostAt = await page.evaluate(() => window.clientPage.statuses.length);
      for (let i = 0; i < count; i++) {
        // The page's publish waits in its offline queue; the Node one in mosquitto's queue for the persistent session.
        await page.evaluate((n) => window.clientPage.publish(`offline/out/${n}`, `page ${n}`, 1, false), i);
        await outside.publish(`offline/in/${i}`, `node ${i}`, { qos: 1 });
      }
      expect(seenOutside).toEqual([]);
      expect(await received(page)).toEqual([]);
      await context.setOffline(false);
      await expect.poll(() => page.evaluate((from) => window.clientPage.statuses.slice(from), lostAt), { timeout: 15_000 }).toContain('connected');
      const expected = (prefix: string) => Array.from({ length: count }, (_, n) => `${prefix} ${n}`);
      await expect.poll(() => [...new Set(seenOutside)].sort(), { timeout: 15_000 }).toEqual(expected('page'));
      await expect.poll(async () => [...new Set((await received(page)).map((m) => m.payload))].sort(), { timeout: 15_000 }).toEqual(expected('node'));
      // QoS 1 is at least once: duplicates are allowed, so they are reported rather than failed on.
      const pageDuplicates = (await received(page)).length - count;
      test.info().annotations.push({ type: 'duplicates', description: `page->node ${seenOutside.length - count}, node->page ${pageDuplicates}` });
    } finally {
      await outside.close();
    }
  });

  // A hidden tab runs timers late (Chrome's intensive throttling: once a minute), so time jumps between two timer
  // turns. page.clock (installed before the page script, so the client's Date.now/setTimeout are its fakes) jumps
  // past the keepalive (60 s) and then past 1.5x keepalive while mosquitto keeps real time.
  test('clock jumps as in a throttled hidden tab: the keepalive pings a live link, finds a dead one, recovers', async ({ page, context, servePage }) => {
    // Counts MQTT PINGREQ frames written and PINGRESP frames read by the page's WebSockets.
    // (`window.WebSocket`: in this file the bare name is Node's `ws` import.)
    await page.addInitScript(() => {
      const frames = { pingreq: 0, pingresp: 0 };
      (window as unknown as { frames_: typeof frames }).frames_ = frames;
      const first = (data: unknown) => (data instanceof ArrayBuffer ? new Uint8Array(data)[0] : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, 1)[0] : undefined);
      const Native = window.WebSocket;
      const send = Native.prototype.send;
      Native.prototype.send = function (this: InstanceType<typeof Native>, data) {
        if (first(data) === 0xc0) frames.pingreq++;
        send.call(this, data);
      };
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          this.addEventListener('message', (event) => {
            if (first(event.data) === 0xd0) frames.pingresp++;
          });
        }
      };
    });
    const frames = () => page.evaluate(() => (window as unknown as { frames_: { pingreq: number; pingresp: number } }).frames_);
    await page.clock.install();
    const { outside, seenOutside } = await bothWays(page, servePage, 'jump', 60);
    try {
      expect(await frames()).toEqual({ pingreq: 0, pingresp: 0 });

      // Live link: one jump past the keepalive sends a PINGREQ; mosquitto answers; a jump past the ping timeout
      // (1.5x keepalive in all) then finds nothing wrong.
      await page.clock.fastForward(61_000);
      await expect.poll(frames).toEqual({ pingreq: 1, pingresp: 1 });
      await page.clock.fastForward(31_000);
      expect(await page.evaluate(() => window.clientPage.statuses)).toEqual(['connecting', 'connected']);
      await outside.publish('jump/in/live', 'live', { qos: 1 });
      await expect.poll(async () => (await received(page)).map((m) => m.payload)).toEqual(['live']);

      // Dead link (the socket stays open but silent while offline, see above): the jump past the keepalive pings,
      // the jump past the ping timeout declares the link dead.
      await context.setOffline(true);
      await page.clock.fastForward(61_000);
      await expect.poll(async () => (await frames()).pingreq).toBe(2);
      await page.clock.fastForward(31_000);
      await expect.poll(() => page.evaluate(() => window.clientPage.statuses.at(-1)), { timeout: 15_000 }).toBe('offline');
      expect(await page.evaluate(() => window.clientPage.errors)).toEqual([expect.stringContaining('did not answer PINGREQ')]);
      expect((await frames()).pingresp).toBe(1);
      const lostAt = await page.evaluate(() => window.clientPage.statuses.length);
      await page.evaluate(() => window.clientPage.publish('jump/out/queued', 'queued on the page', 1, false));
      await outside.publish('jump/in/queued', 'queued by the broker', { qos: 1 });

      await context.setOffline(false);
      await expect.poll(() => page.evaluate((from) => window.clientPage.statuses.slice(from), lostAt), { timeout: 15_000 }).toContain('connected');
      await page.evaluate(() => window.clientPage.publish('jump/out/after', 'after', 1, true));
      await outside.publish('jump/in/after', 'after', { qos: 1 });
      await expect.poll(() => [...new Set(seenOutside)].sort(), { timeout: 15_000 }).toEqual(['after', 'queued on the page']);
      await expect.poll(async () => [...new Set((await received(page)).map((m) => m.payload))].sort(), { timeout: 15_000 }).toEqual(['after', 'live', 'queued by the broker']);
      const duplicates = seenOutside.length - 2 + (await received(page)).length - 3;
      test.info().annotations.push({ type: 'duplicates', description: String(duplicates) });
    } finally {
      await outside.close();
    }
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
