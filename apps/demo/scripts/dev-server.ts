/** The dashboard's Vite dev server, started from code (by `npm run demo` and by the browser tests). */
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';

export interface DashboardServer {
  /** e.g. http://127.0.0.1:5173/ */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts Vite on `host:port` (0 for a free port) with the dashboard pointed at `brokerUrl`.
 * Vite exits the whole process on SIGTERM or when stdin ends; our callers own the process and stop it themselves
 * (closing the broker and the devices first), so those hooks are removed.
 */
export async function startDashboardServer(options: { host: string; port: number; brokerUrl: string }): Promise<DashboardServer> {
  process.env.VITE_MQTT_URL = options.brokerUrl;
  const sigterm = new Set(process.listeners('SIGTERM'));
  const stdinEnd = new Set(process.stdin.listeners('end'));
  const vite: ViteDevServer = await createServer({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    server: { host: options.host, port: options.port, strictPort: options.port !== 0 },
    logLevel: 'warn',
  });
  for (const listener of process.listeners('SIGTERM')) if (!sigterm.has(listener)) process.off('SIGTERM', listener);
  for (const listener of process.stdin.listeners('end')) if (!stdinEnd.has(listener)) process.stdin.off('end', listener as () => void);
  await vite.listen();
  const url = vite.resolvedUrls?.local[0];
  if (!url) throw new Error('the dashboard dev server did not report its URL');
  return { url, close: () => vite.close() };
}
