import WebSocket from 'ws';
import { MqttClient, type Message } from '../packages/core/src/index.ts';
import type { PageStats } from './pages/react/stats.ts';
import { expect, test } from './fixtures.ts';

/** A Node-side client (ours, `ws` injected) that feeds or watches the page through mosquitto. */
async function nodeClient(wsUrl: string): Promise<MqttClient> {
  const client = new MqttClient({ url: wsUrl, WebSocket });
  await client.connect();
  return client;
}

test.describe('@mqttkit/react in Chromium through mosquitto', () => {
  for (const impl of ['mqttkit', 'vanilla'] as const) {
    test(`${impl}: 100 tiles update live, each tile at most once per frame, nothing lost`, async ({ page, mosquitto, servePage, pageErrors }) => {
      const prefix = `e2e/${impl}/${Date.now()}`;
      const tiles = 100;
      const query = new URLSearchParams({ ws: mosquitto.wsUrl, impl, tiles: String(tiles), prefix });
      await page.goto(`${await servePage('react')}?${query}`);
      await page.waitForFunction(() => window.pageStats.ready || window.pageStats.error !== undefined, undefined, { timeout: 20_000 });
      expect((await page.evaluate(() => window.pageStats)).error).toBeUndefined();
      await page.evaluate(() => window.resetStats());

      const publisher = await nodeClient(mosquitto.wsUrl);
      try {
        const rounds = 10;
        const sends: Promise<void>[] = [];
        for (let round = 0; round < rounds; round++) {
          for (let i = 0; i < tiles; i++) sends.push(publisher.publish(`${prefix}/${i}`, String(round)));
        }
        await Promise.all(sends);
        await page.evaluate((value) => window.whenAllTilesShow(value), String(rounds - 1));
        await expect.poll(() => page.evaluate(() => window.pageStats.handled)).toBe(rounds * tiles);
      } finally {
        await publisher.close();
      }
      const stats: PageStats = await page.evaluate(() => window.pageStats);
      expect(stats.maxRendersInFrame).toBeLessThanOrEqual(1);
      expect(stats.renders).toBeLessThanOrEqual(stats.frames * tiles);
      if (impl === 'mqttkit') {
        expect(stats.commits).toBeGreaterThan(0); // commits are counted
        expect(stats.commits).toBeLessThanOrEqual(stats.frames);
      }
      expect(pageErrors).toEqual([]);
    });
  }

  test('usePublish sends from the page, useMqttStatus shows the connection', async ({ page, mosquitto, servePage, pageErrors }) => {
    const prefix = `e2e/publish/${Date.now()}`;
    const watcher = await nodeClient(mosquitto.wsUrl);
    try {
      const got: Message[] = [];
      await watcher.subscribe(`${prefix}/from-page`, (message) => got.push(message), { qos: 1 }).ready;
      const query = new URLSearchParams({ ws: mosquitto.wsUrl, tiles: '4', prefix });
      await page.goto(`${await servePage('react')}?${query}`);
      await expect(page.locator('#connection')).toHaveText('connected');
      await page.locator('#ping').click();
      await expect.poll(() => got.length).toBe(1);
      expect(new TextDecoder().decode(got[0]!.payload)).toBe('hello');
      expect(got[0]!.qos).toBe(1);
    } finally {
      await watcher.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
