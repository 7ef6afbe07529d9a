/**
 * `npm run bench`: runs every scenario module in bench/ and prints its tables, in one process, one after another.
 *
 * Contract for a scenario module (bench/codec.ts, bench/client.ts, bench/broker.ts, ...): a file `bench/<name>.ts`
 * that exports `async function run(): Promise<void>`, prints its own table(s) to stdout, cleans up everything it
 * started (servers on 127.0.0.1, port 0) and keeps its loops bounded in time. Files without a `run` export
 * (helpers such as table.ts), `size.ts` and `soak.ts` (their own scripts, `npm run size`, `npm run soak`) are not
 * scenarios.
 *
 * `npm run bench -- codec client` runs only the named scenarios. A failing scenario is reported and the others
 * still run; the exit code is then 1.
 */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// soak.ts is its own long script (`npm run soak`): importing it would run it.
const NOT_SCENARIOS = new Set(['index', 'size', 'table', 'soak']);

const wanted = process.argv.slice(2);
const names = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => basename(file, '.ts'))
  .filter((name) => !NOT_SCENARIOS.has(name) && (wanted.length === 0 || wanted.includes(name)))
  .sort();

let failed = false;
for (const name of names) {
  const module = (await import(`./${name}.ts`)) as { run?: () => Promise<void> };
  if (typeof module.run !== 'function') continue;
  console.log(`\n== bench/${name}.ts ==\n`);
  try {
    await module.run();
  } catch (error) {
    failed = true;
    console.error(`bench/${name}.ts failed:`, error);
  }
}
if (failed) process.exitCode = 1;
