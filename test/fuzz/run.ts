/**
 * `npm run fuzz`: the long fuzz run. Fuzzes the MQTT decoder in a child process (watched for hangs, memory
 * sampled after full GCs), prints inputs/s, the error-code histogram and memory, and exits non-zero on any
 * failure. Usage:
 *
 *   tsx test/fuzz/run.ts [--inputs 1000000] [--seed N] [--corpus 4000] [--max-seconds 600] [--workers 2]
 *                        [--broker-connections 10000]
 *
 * A failure prints its seed and index; `--seed S --from I --inputs 1` replays exactly that input.
 * Then it fuzzes the broker's connection handling over TCP (`broker-run.ts`); `--broker-connections 0` skips it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { seedFromEnv } from '../support/random.ts';
import type { ChildMessage, ChildTask } from './decoder-child.ts';
import { runBrokerFuzz } from './broker-run.ts';
import { createStats, type DecoderFuzzStats } from './decoder-fuzz.ts';
import { mergeStats, printDecoderReport, type MemorySample } from './report.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
};

const inputs = option('inputs', 1_000_000);
const seed = option('seed', seedFromEnv());
const from = option('from', 0);
const corpusSize = option('corpus', 4000);
const maxSeconds = option('max-seconds', 600);
const workers = Math.max(1, option('workers', 2));
const brokerConnections = option('broker-connections', 10_000);
/** No heartbeat for this long means an input hangs. */
const HANG_MS = 20_000;
const CHILD = fileURLToPath(new URL('./decoder-child.ts', import.meta.url));

interface ChildResult {
  stats?: DecoderFuzzStats;
  ms: number;
  corpusMs: number;
  samples: MemorySample[];
  /** Set when the child stopped sending heartbeats: the input range it was in. */
  hang?: { from: number; to: number };
  crash?: string;
}

function runChild(task: ChildTask, onProgress: (index: number) => void): Promise<ChildResult> {
  const child: ChildProcess = fork(CHILD, [], { execArgv: ['--import', 'tsx', '--expose-gc'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result: ChildResult = { ms: 0, corpusMs: 0, samples: [] };
  let last = task.from;
  let beat = Date.now();
  return new Promise((resolve) => {
    const watchdog = setInterval(() => {
      if (Date.now() - beat < HANG_MS) return;
      result.hang = { from: last, to: Math.min(task.to, last + task.sliceSize) };
      child.kill('SIGKILL');
    }, 1000);
    child.on('message', (message: ChildMessage) => {
      beat = Date.now();
      if (message.kind === 'heartbeat') {
        last = message.index;
        onProgress(message.index);
      } else if (message.kind === 'progress') {
        result.samples.push({ inputs: message.inputs, heapUsed: message.heapUsed, rss: message.rss, ms: message.ms });
      } else {
        result.stats = message.stats;
        result.ms = message.ms;
        result.corpusMs = message.corpusMs;
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      if (!result.stats && !result.hang) result.crash = `fuzzer process exited (code ${code}, signal ${signal}) near input ${last}`;
      resolve(result);
    });
    child.send(task);
  });
}

async function main(): Promise<void> {
  console.log(`decoder fuzz: ${inputs.toLocaleString('en')} inputs from #${from}, seed ${seed}, corpus ${corpusSize} packets per level, ${workers} process(es), bound ${maxSeconds} s`);
  const per = Math.ceil(inputs / workers);
  let done = 0;
  const started = Date.now();
  const progress = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    console.log(`  ${done.toLocaleString('en')} inputs, ${s.toFixed(0)} s, ${(done / s).toFixed(0)} inputs/s`);
  }, 15_000);
  const seen = new Array<number>(workers).fill(0);
  const results = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const task: ChildTask = { seed, corpusSize, from: from + w * per, to: from + Math.min(inputs, (w + 1) * per), maxMs: maxSeconds * 1000, sliceSize: 2000 };
      return runChild(task, (index) => {
        seen[w] = index - task.from;
        done = seen.reduce((a, b) => a + b, 0);
      });
    }),
  );
  clearInterval(progress);
  const wallMs = Date.now() - started;

  let failed = false;
  for (const result of results) {
    if (result.crash) {
      failed = true;
      console.log(`FAIL ${result.crash}`);
    }
    if (result.hang) {
      failed = true;
      // Find the exact input: replay the range with a heartbeat after every input.
      const located = await runChild({ seed, corpusSize, from: result.hang.from, to: result.hang.to, maxMs: HANG_MS * 10, sliceSize: 1 }, () => {});
      const at = located.hang ? `input #${located.hang.from}` : `inputs #${result.hang.from}-${result.hang.to} (not reproduced alone)`;
      console.log(`FAIL hang: no progress for ${HANG_MS / 1000} s at ${at}, seed ${seed}`);
    }
  }
  const stats = results.reduce((all, r) => (r.stats ? mergeStats(all, r.stats) : all), createStats());
  const ok = printDecoderReport(stats, {
    seed,
    corpusSize,
    wallMs,
    fuzzMs: Math.max(...results.map((r) => r.ms)),
    corpusMs: Math.max(...results.map((r) => r.corpusMs)),
    samples: results.map((r) => r.samples),
  });
  if (stats.inputs < inputs) {
    console.log(`NOTE: the ${maxSeconds} s bound stopped the run at ${stats.inputs.toLocaleString('en')} of ${inputs.toLocaleString('en')} inputs`);
  }
  const brokerOk = brokerConnections > 0 ? await runBrokerFuzz(seed, brokerConnections, maxSeconds) : true;
  process.exitCode = failed || !ok || !brokerOk ? 1 : 0;
}

await main();
