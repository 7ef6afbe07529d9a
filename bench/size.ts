/**
 * `npm run size`: gzip bytes of each public entry, built the way an app would: esbuild, bundle, minify, ESM,
 * browser platform, then gzip (level 9) with node:zlib. Entries whose file does not exist yet are skipped.
 * To add an entry, add a row to ENTRIES.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type PluginBuild } from 'esbuild';
import { printTable } from './table.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Entry {
  name: string;
  /** A file under the repo, or (with `code`) the virtual module to bundle. */
  file?: string;
  /** Source of a virtual entry, resolved from the repo root (e.g. `export { x } from './packages/...'`). */
  code?: string;
  external?: string[];
  /** Leave `packages/core/src/topics` out of the bundle (to see the codec's own bytes). */
  topicsExternal?: boolean;
  note?: string;
}

/** Marks imports of the topics module external. */
const topicsExternal = {
  name: 'topics-external',
  setup(b: PluginBuild): void {
    b.onResolve({ filter: /\/topics\/index\.ts$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** Every public entry of @mqttkit/core, read from its package.json `exports`. */
function coreEntries(): Entry[] {
  const pkg = JSON.parse(readFileSync(`${root}/packages/core/package.json`, 'utf8')) as { exports: Record<string, string> };
  return Object.entries(pkg.exports).map(([path, file]) => ({
    name: `@mqttkit/core${path === '.' ? '' : path.slice(1)}`,
    file: `packages/core/${file.replace(/^\.\//, '')}`,
  }));
}

const ENTRIES: Entry[] = [
  ...coreEntries(),
  {
    name: 'codec: encode + PacketDecoder only',
    code: "export { encode, PacketDecoder } from './packages/core/src/codec/index.ts';",
    note: 'what a client imports: reason names and the exported table shake out',
  },
  {
    name: 'codec, own code only',
    file: 'packages/core/src/codec/index.ts',
    topicsExternal: true,
    note: 'the topics module it imports left out (counted under /topics)',
  },
  {
    name: 'codec: QoS 0 subscriber pieces',
    code:
      "export { encodeConnect, encodeSubscribe, encodePing, encodeDisconnect, StreamDecoder, readConnack, readSuback, readPublish, readPing } from './packages/core/src/codec/index.ts';",
    note: 'CONNECT, SUBSCRIBE, PINGREQ, DISCONNECT encoders; CONNACK, SUBACK, PUBLISH, PINGRESP readers',
  },
  { name: 'client entry', file: 'packages/core/src/client/index.ts' },
  { name: 'QoS 0 subscriber only', file: 'bench/entries/qos0-subscriber.ts', note: 'createClient() with no features' },
  {
    name: 'createClient + session',
    code:
      "import { createClient, session } from './packages/core/src/client/minimal.ts';\n" +
      "export const open = (url: string) => createClient({ url }, { session });",
    note: 'subscribe and publish at QoS 0/1/2 with the offline queue; no 5.0 extras, failover or reason texts',
  },
  { name: '@mqttkit/react', file: 'packages/react/src/index.ts', external: ['react', 'react-dom', 'react/jsx-runtime', '@mqttkit/core'], note: 'react and @mqttkit/core external' },
  { name: 'MQTT.js 5 (mqtt/dist/mqtt.esm.js)', file: 'node_modules/mqtt/dist/mqtt.esm.js', note: 'its shipped browser bundle, re-minified by esbuild' },
];

/** How an app's bundler builds us: what every row is measured with (the tree-shaking test builds the same way). */
export const APP_BUILD = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'silent',
} as const satisfies BuildOptions;

async function gzipBytes(entry: Entry): Promise<{ min: number; gzip: number } | undefined> {
  if (entry.file && !existsSync(`${root}/${entry.file}`)) return undefined;
  const result = await build({
    ...(entry.file ? { entryPoints: [`${root}/${entry.file}`] } : { stdin: { contents: entry.code!, resolveDir: root, loader: 'ts' } }),
    ...APP_BUILD,
    external: entry.external ?? [],
    plugins: entry.topicsExternal ? [topicsExternal] : [],
  });
  const code = result.outputFiles[0]!.contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

export async function run(): Promise<void> {
  console.log('Bundle size (esbuild --bundle --minify --format=esm --platform=browser, gzip -9)\n');
  const rows: string[][] = [['entry', 'minified B', 'gzip B', 'note']];
  for (const entry of ENTRIES) {
    try {
      const size = await gzipBytes(entry);
      if (size) rows.push([entry.name, String(size.min), String(size.gzip), entry.note ?? '']);
    } catch (error) {
      rows.push([entry.name, '-', '-', `build failed: ${(error as Error).message.split('\n')[0]}`]);
    }
  }
  printTable(rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
