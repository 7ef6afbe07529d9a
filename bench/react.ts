/**
 * Rendering in Chromium (Playwright): 500 fixed-size tiles, each showing the latest value of its own topic
 * `bench/tile/<i>`, fed for 10 s by a Node publisher (@mqttkit/core over WebSocket with `ws`, QoS 0, round-robin
 * over the tiles, paced every 10 ms; it falls behind the target rate when the broker pushes back, so the achieved
 * rate is reported too). Same page, same load, side by side in one run: @mqttkit/react (one `useMqttTopic` per
 * tile), mqtt-react-hooks 3.1 (one `useSubscription` per tile; a dev dependency) and a vanilla baseline (MQTT.js
 * in the page, DOM writes batched per animation frame, no React).
 *
 * Reported per stack: frames per second while fed; messages the page's client handled per second and as % of
 * those sent; React commits per second; the most renders (or DOM writes) of one tile in one animation frame; and
 * the time from the publisher's last write until every tile shows its final value.
 */
import { chromium, type Browser } from '@playwright/test';
import WebSocket from 'ws';
import { createBroker } from '../packages/broker/src/index.ts';
import { MqttClient } from '../packages/core/src/index.ts';
import { buildAndServePage } from '../e2e/fixtures.ts';
import type { PageStats } from '../e2e/pages/react/stats.ts';
import playwrightConfig from '../playwright.config.ts';
import { startMosquitto } from '../test/support/mosquitto.ts';
import { printTable } from './table.ts';

const TILES = 500;
/** Seconds of feeding per run; REACT_BENCH_SECONDS shortens it for a quick look. */
const SECONDS = Number(process.env.REACT_BENCH_SECONDS ?? 10);
const TICK_MS = 10;
/** How long tiles may take to become final after the last message before the run counts them as never final. */
const FINAL_TIMEOUT_MS = 15_000;
const STACKS = ['vanilla', 'mqttkit', 'hooks'] as const;
const LABELS: Record<(typeof STACKS)[number], string> = {
  vanilla: 'vanilla (MQTT.js + rAF DOM writes)',
  mqttkit: '@mqttkit/react',
  hooks: 'mqtt-react-hooks 3.1',
};

interface Endpoint {
  name: string;
  wsUrl: string;
}

interface Result {
  sentPerSecond: number;
  fps: number;
  handledPerSecond: number;
  handledPercent: number;
  commitsPerSecond: number;
  maxRendersInFrame: number;
  finalMs: number | undefined;
  sent: number;
}

/** Publishes `rate` msg/s for SECONDS, whole rounds over the tiles; resolves when the last one is written. */
async function feed(wsUrl: string, rate: number): Promise<{ sent: number; finalValue: string; durationMs: number }> {
  const publisher = new MqttClient({ url: wsUrl, WebSocket, reconnect: false });
  await publisher.connect();
  try {
    const rounds = Math.max(1, Math.round((rate * SECONDS) / TILES));
    const total = rounds * TILES;
    const start = performance.now();
    let sent = 0;
    const written: Promise<void>[] = [];
    while (sent < total) {
      const due = Math.min(total, Math.ceil(((performance.now() - start) / 1000) * rate));
      for (; sent < due; sent++) written.push(publisher.publish(`bench/tile/${sent % TILES}`, String(Math.floor(sent / TILES))));
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    await Promise.all(written);
    return { sent: total, finalValue: String(rounds - 1), durationMs: performance.now() - start };
  } finally {
    await publisher.close();
  }
}

async function measure(browser: Browser, pageUrl: string, endpoint: Endpoint, stack: string, rate: number): Promise<Result> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  try {
    const page = await context.newPage();
    const query = new URLSearchParams({ ws: endpoint.wsUrl, impl: stack, tiles: String(TILES), prefix: 'bench/tile' });
    await page.goto(`${pageUrl}?${query}`);
    await page.waitForFunction(() => window.pageStats.ready || window.pageStats.error !== undefined, undefined, { timeout: 30_000 });
    const error = await page.evaluate(() => window.pageStats.error);
    if (error) throw new Error(`${stack} page failed: ${error}`);
    await page.evaluate(() => window.resetStats());

    const { sent, finalValue, durationMs } = await feed(endpoint.wsUrl, rate);
    const fed: PageStats = await page.evaluate(() => ({ ...window.pageStats, since: performance.now() - window.pageStats.since }));
    const writtenAt = Date.now();
    const finalAt = await page
      .evaluate(
        ([value, ms]) => Promise.race([window.whenAllTilesShow(value), new Promise<undefined>((resolve) => setTimeout(resolve, ms))]),
        [finalValue, FINAL_TIMEOUT_MS] as const,
      )
      .catch(() => undefined);
    const after: PageStats = await page.evaluate(() => window.pageStats);
    const seconds = fed.since / 1000;
    return {
      sentPerSecond: sent / (durationMs / 1000),
      fps: fed.frames / seconds,
      handledPerSecond: after.handled / (durationMs / 1000),
      handledPercent: (100 * after.handled) / sent,
      commitsPerSecond: fed.commits / seconds,
      maxRendersInFrame: after.maxRendersInFrame,
      finalMs: finalAt === undefined ? undefined : Math.max(0, finalAt - writtenAt),
      sent,
    };
  } finally {
    await context.close();
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function run(): Promise<void> {
  console.log(`React rendering in Chromium: ${TILES} tiles, one topic each, fed ${SECONDS} s (QoS 0)\n`);
  const launch = playwrightConfig.use?.launchOptions ?? {};
  const [browser, served, mosquitto, ours] = await Promise.all([
    chromium.launch({ ...launch, headless: true }),
    buildAndServePage('react'),
    startMosquitto(),
    createBroker({ port: false, wsPort: 0, sysInterval: 0 }),
  ]);
  try {
    const endpoints: [Endpoint, number][] = [
      [{ name: 'mosquitto', wsUrl: mosquitto.wsUrl }, 2_000],
      [{ name: 'mosquitto', wsUrl: mosquitto.wsUrl }, 10_000],
      [{ name: '@mqttkit/broker', wsUrl: `ws://127.0.0.1:${ours.ports.ws}/mqtt` }, 10_000],
    ];
    const rows: string[][] = [
      ['broker', 'target msg/s', 'sent msg/s', 'stack', 'fps', 'handled msg/s', 'handled %', 'commits/s', 'max renders/tile/frame', 'all tiles final'],
    ];
    for (const [endpoint, rate] of endpoints) {
      for (const stack of STACKS) {
        try {
          console.error(`  ${stack} through ${endpoint.name} at ${fmt(rate)} msg/s ...`);
          const r = await measure(browser, served.url, endpoint, stack, rate);
          rows.push([
            endpoint.name,
            fmt(rate),
            fmt(r.sentPerSecond),
            LABELS[stack],
            fmt(r.fps, 1),
            fmt(r.handledPerSecond),
            `${fmt(r.handledPercent, 1)} %`,
            stack === 'vanilla' ? '-' : fmt(r.commitsPerSecond, 1),
            String(r.maxRendersInFrame),
            r.finalMs === undefined ? `not within ${FINAL_TIMEOUT_MS / 1000} s` : `${fmt(r.finalMs)} ms`,
          ]);
        } catch (error) {
          rows.push([endpoint.name, fmt(rate), '-', stack, `failed: ${(error as Error).message.split('\n')[0]}`]);
        }
      }
    }
    printTable(rows);
    console.log('\nfps and commits/s over the feeding window; "final" from the publisher\'s last write.');
  } finally {
    await Promise.allSettled([browser.close(), served.close(), mosquitto.stop(), ours.close()]);
  }
}
