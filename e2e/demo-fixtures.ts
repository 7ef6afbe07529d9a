/**
 * Playwright fixtures for the smart-home demo: per worker, our broker (TCP + WebSocket on free loopback ports, SQLite
 * store in a temp dir so persistent sessions survive a restart), the device simulator, and the dashboard built by
 * Vite (production build) and served by `vite preview`. Tests can stop and restart the broker on the same ports and
 * kill or restart single devices.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { createBroker, type MqttBroker } from '@mqttkit/broker';
import { build, preview, type PreviewServer } from 'vite';
import { startSimulator, type Simulator } from '../apps/demo/simulator/index.ts';
import { test as base } from './fixtures.ts';

export { expect } from '@playwright/test';

const demoRoot = fileURLToPath(new URL('../apps/demo/', import.meta.url));
const host = '127.0.0.1';

export interface DemoStack {
  /** ws://127.0.0.1:<port>/mqtt */
  brokerUrl: string;
  simulator: Simulator;
  /** Opens the dashboard pointed at this stack's broker; `query` adds parameters (`kiosk=1`), `hash` a view. */
  open(page: Page, options?: { query?: string; hash?: string }): Promise<void>;
  /** Closes the broker (listeners and every connection); its SQLite store keeps sessions and retained messages. */
  stopBroker(): Promise<void>;
  /** Starts the broker again on the same ports and store. */
  startBroker(): Promise<void>;
}

/** A port that was free a moment ago: the broker must come back on the same ports after a restart. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function serveDashboard(outDir: string): Promise<PreviewServer> {
  const configFile = path.join(demoRoot, 'vite.config.ts');
  await build({ configFile, root: demoRoot, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return preview({
    configFile,
    root: demoRoot,
    logLevel: 'warn',
    build: { outDir },
    preview: { host, port: 0, strictPort: true, open: false },
  });
}

interface WorkerFixtures {
  demo: DemoStack;
}

/** The shared fixtures (`pageErrors`, ...) plus `demo`. */
export const test = base.extend<{}, WorkerFixtures>({
  demo: [
    async ({}, use) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-demo-e2e-'));
      const [tcpPort, wsPort] = [await freePort(), await freePort()];
      const startBroker = () => createBroker({ host, port: tcpPort, wsPort, store: path.join(dir, 'broker.db'), sysInterval: 0 });
      let broker: MqttBroker | undefined = await startBroker();
      const brokerUrl = `ws://${host}:${wsPort}/mqtt`;
      const simulator = await startSimulator({ url: brokerUrl, clientIdPrefix: `e2e-${process.pid}` });
      const server = await serveDashboard(path.join(dir, 'dist'));
      const { port } = server.httpServer.address() as AddressInfo;
      const dashboardUrl = `http://${host}:${port}/`;

      await use({
        brokerUrl,
        simulator,
        async open(page, { query = '', hash = '' } = {}) {
          const params = new URLSearchParams(query);
          params.set('broker', brokerUrl);
          await page.goto(`${dashboardUrl}?${params}${hash}`);
        },
        async stopBroker() {
          await broker?.close();
          broker = undefined;
        },
        async startBroker() {
          broker ??= await startBroker();
        },
      });

      await server.close();
      await simulator.stop();
      await broker?.close();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});
