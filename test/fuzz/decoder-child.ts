/**
 * The decoder fuzzer's own process, started by `run.ts` with `--expose-gc`: fuzzes inputs [from, to) of a seed,
 * writes the index it is on into a heartbeat the parent watches (so a hang is caught and named), and reports
 * progress with heap (after a full GC) and RSS samples.
 */
import { createCorpus, createStats, fuzzOne, type DecoderFuzzStats } from './decoder-fuzz.ts';

export interface ChildTask {
  seed: number;
  corpusSize: number;
  from: number;
  to: number;
  /** Stop early after this many milliseconds (the run is bounded in time as well as count). */
  maxMs: number;
  /** Inputs between heartbeats: 1 when locating the exact input that hung. */
  sliceSize: number;
}

export type ChildMessage =
  | { kind: 'progress'; index: number; inputs: number; heapUsed: number; rss: number; ms: number }
  | { kind: 'heartbeat'; index: number }
  | { kind: 'done'; stats: DecoderFuzzStats; ms: number; corpusMs: number };

const gc = (globalThis as { gc?: () => void }).gc;
// Capturing stacks is a fifth of the cost of a rejected input; a failure's replay (`--inputs 1`) shows them.
Error.stackTraceLimit = Number(process.env.FUZZ_STACK_LIMIT ?? 0);
const send = (message: ChildMessage): void => {
  process.send!(message);
};

process.once('message', (task: ChildTask) => {
  const corpusStarted = performance.now();
  const corpus = createCorpus(task.seed, task.corpusSize);
  const corpusMs = performance.now() - corpusStarted;
  const stats = createStats();
  const started = performance.now();
  const sampleEvery = Math.max(1000, Math.floor((task.to - task.from) / 20));
  let index = task.from;
  // Work in slices so heartbeats and progress go out while the fuzzer runs.
  const slice = (): void => {
    const sliceEnd = Math.min(task.to, index + task.sliceSize);
    for (; index < sliceEnd; index++) fuzzOne(corpus, index, stats);
    const ms = performance.now() - started;
    send({ kind: 'heartbeat', index });
    if ((index - task.from) % sampleEvery < task.sliceSize || index === task.to) {
      gc?.();
      const memory = process.memoryUsage();
      send({ kind: 'progress', index, inputs: stats.inputs, heapUsed: memory.heapUsed, rss: memory.rss, ms });
    }
    if (index < task.to && ms < task.maxMs) setImmediate(slice);
    else send({ kind: 'done', stats, ms, corpusMs });
  };
  slice();
});
