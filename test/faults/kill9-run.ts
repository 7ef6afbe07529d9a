/**
 * `kill -9` of the broker bin under load with its SQLite store, restarted by this script (`npm run soak` runs
 * it; `tsx test/faults/kill9-run.ts [--kills 3] [--seed N]` alone). Prints the figures and exits non-zero when an
 * acknowledged message is lost, a QoS 2 message is duplicated, or retained messages or the subscription are lost.
 * `CRASH_DEBUG=1` prints, at each kill, the QoS 2 ids the subscriber still awaits PUBREL for and the store's rows.
 */
import { seedFromEnv } from '../support/random.ts';
import { crashReport, runCrashUnderLoad } from './crash-under-load.ts';

export async function runKill9(seed: number, kills: number): Promise<boolean> {
  const result = await runCrashUnderLoad({ seed, kills, loadMs: [300, 1500], window: 50, retainedTopics: 5 });
  console.log(`\n== broker kill -9 under load, SQLite (seed ${seed}) ==\n${crashReport(result)}`);
  return result.lostAcknowledged === 0 && result.qos2Duplicates === 0 && result.staleRetained === 0 && result.missingRetained === 0 && result.subscriptionSurvived;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
  process.exitCode = (await runKill9(at('seed', seedFromEnv()), at('kills', 3))) ? 0 : 1;
}
