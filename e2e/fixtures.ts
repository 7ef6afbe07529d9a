/**
 * Shared Playwright fixtures: a mosquitto per worker, pages under `e2e/pages/<name>/` built by Vite and served on
 * 127.0.0.1, and a record of the page's uncaught errors.
 *
 * ```ts
 * import { expect, test } from './fixtures.ts';
 * test('...', async ({ page, mosquitto, servePage }) => {
 *   await page.goto(`${await servePage('core')}?ws=${encodeURIComponent(mosquitto.wsUrl)}`);
 * });
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { startMosquitto, type Mosquitto } from '../test/support/mosquitto.ts';

export { expect } from '@playwright/test';
export { startMosquitto, type Mosquitto } from '../test/support/mosquitto.ts';

const pagesDir = fileURLToPath(new URL('./pages/', import.meta.url));

/** A page directory built into a temp dir and served by `vite preview`. */
export interface ServedPage {
  /** Base URL ending in `/`, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Builds `e2e/pages/<name>/` with its own `vite.config.ts` into a temporary directory and serves it on 127.0.0.1
 * on a free port. `close()` stops the server and deletes the build.
 */
export async function buildAndServePage(name: string): Promise<ServedPage> {
  const root = path.join(pagesDir, name);
  const configFile = path.join(root, 'vite.config.ts');
  const outDir = mkdtempSync(path.join(os.tmpdir(), `mqttkit-page-${name}-`));
  let server: PreviewServer | undefined;
  try {
    await build({ configFile, root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    server = await preview({
      configFile,
      root,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
    });
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  const { port } = running.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      await running.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

interface WorkerFixtures {
  /** A mosquitto shared by the tests of one worker. Tests that kill or restart a broker start their own. */
  mosquitto: Mosquitto;
  /** Builds (once per worker) and serves a page directory under `e2e/pages/`; resolves with its URL. */
  servePage: (name: string) => Promise<string>;
}

interface TestFixtures {
  /** Uncaught exceptions and console errors of `page`, in order. */
  pageErrors: string[];
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  mosquitto: [
    async ({}, use) => {
      const broker = await startMosquitto();
      await use(broker);
      await broker.stop();
    },
    { scope: 'worker' },
  ],
  servePage: [
    async ({}, use) => {
      const served = new Map<string, Promise<ServedPage>>();
      await use(async (name) => {
        let page = served.get(name);
        if (page === undefined) {
          page = buildAndServePage(name);
          served.set(name, page);
        }
        return (await page).url;
      });
      const pages = await Promise.allSettled(served.values());
      await Promise.all(pages.map((page) => (page.status === 'fulfilled' ? page.value.close() : undefined)));
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
    await use(errors);
  },
});
