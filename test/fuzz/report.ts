/** Printing and merging of decoder fuzz results, and the flat-memory verdict. */
import { SLOW_INPUT_MS, type DecoderFuzzStats } from './decoder-fuzz.ts';

export interface MemorySample {
  inputs: number;
  /** Heap after a full GC, bytes. */
  heapUsed: number;
  rss: number;
  ms: number;
}

/** Heap growth after warm-up beyond this is a leak (the fuzzer keeps only counters). */
export const MAX_HEAP_GROWTH = 16 * 1024 * 1024;

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function mergeMaps(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

export function mergeStats(a: DecoderFuzzStats, b: DecoderFuzzStats): DecoderFuzzStats {
  const asymmetries = new Map(a.asymmetries);
  for (const [k, v] of b.asymmetries) {
    const seen = asymmetries.get(k);
    asymmetries.set(k, seen ? { count: seen.count + v.count, example: seen.example } : v);
  }
  return {
    inputs: a.inputs + b.inputs,
    bytes: a.bytes + b.bytes,
    accepted: a.accepted + b.accepted,
    packets: a.packets + b.packets,
    errorCodes: mergeMaps(a.errorCodes, b.errorCodes),
    errorMessages: mergeMaps(a.errorMessages, b.errorMessages),
    mutations: mergeMaps(a.mutations, b.mutations),
    asymmetries,
    failures: [...a.failures, ...b.failures],
    maxInputMs: Math.max(a.maxInputMs, b.maxInputMs),
  };
}

/** Heap growth from the first sample after warm-up (a fifth of the run) to the last. */
export function heapGrowth(samples: MemorySample[]): number {
  if (samples.length < 2) return 0;
  const base = samples[Math.floor(samples.length / 5)]!;
  return samples[samples.length - 1]!.heapUsed - base.heapUsed;
}

const sorted = (map: Map<string, number>): [string, number][] => [...map].sort((a, b) => b[1] - a[1]);

/** Prints the report; returns false when something failed or memory grew. */
export function printDecoderReport(
  stats: DecoderFuzzStats,
  run: { seed: number; corpusSize: number; wallMs: number; fuzzMs: number; corpusMs: number; samples: MemorySample[][] },
): boolean {
  const pct = (n: number): string => `${((n / Math.max(1, stats.inputs)) * 100).toFixed(1)} %`;
  const lines = [
    '',
    '== decoder fuzz ==',
    `inputs            ${stats.inputs.toLocaleString('en')} (${mib(stats.bytes)} of bytes, each decoded whole and in random chunk splits)`,
    `time              ${(run.fuzzMs / 1000).toFixed(1)} s fuzzing (+ ${(run.corpusMs / 1000).toFixed(1)} s building the corpus), ${(run.wallMs / 1000).toFixed(1)} s wall`,
    `rate              ${Math.round(stats.inputs / (run.fuzzMs / 1000)).toLocaleString('en')} inputs/s`,
    `accepted          ${stats.accepted.toLocaleString('en')} inputs (${pct(stats.accepted)}), ${stats.packets.toLocaleString('en')} packets decoded`,
    `slowest input     ${stats.maxInputMs.toFixed(1)} ms (an input over ${SLOW_INPUT_MS} ms is re-timed twice; the best of three counts)`,
    'error codes (typed errors thrown):',
    ...sorted(stats.errorCodes).map(([k, n]) => `  ${n.toString().padStart(9)}  ${k}`),
    'checks reached (top 20 messages, numbers blanked):',
    ...sorted(stats.errorMessages).slice(0, 20).map(([k, n]) => `  ${n.toString().padStart(9)}  ${k}`),
    'mutations:',
    `  ${sorted(stats.mutations).filter(([k]) => !k.includes('+')).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    'decoder/encoder asymmetries (decoded, but encode refuses or changes it; not failures):',
    ...(stats.asymmetries.size ? sorted(new Map([...stats.asymmetries].map(([k, v]) => [k, v.count]))).map(([k, n]) => `  ${n.toString().padStart(9)}  ${k}\n             e.g. ${stats.asymmetries.get(k)!.example}`) : ['  none']),
    'memory (per fuzzing process: heap after full GC, RSS):',
  ];
  let flat = true;
  run.samples.forEach((samples, w) => {
    lines.push(`  process ${w}: ${samples.map((s) => `${(s.inputs / 1000).toFixed(0)}k ${mib(s.heapUsed)}/${mib(s.rss)}`).join(' · ')}`);
    const growth = heapGrowth(samples);
    lines.push(`  process ${w}: heap growth after warm-up ${mib(growth)} (limit ${mib(MAX_HEAP_GROWTH)})`);
    if (growth > MAX_HEAP_GROWTH) flat = false;
  });
  lines.push(`untyped exceptions ${stats.failures.filter((f) => f.kind === 'untyped-error').length}, split mismatches ${stats.failures.filter((f) => f.kind === 'split-mismatch').length}, slow inputs ${stats.failures.filter((f) => f.kind === 'slow').length}, memory ${flat ? 'flat' : 'GREW'}`);
  for (const f of stats.failures.slice(0, 20)) {
    lines.push(`FAIL ${f.kind} at input #${f.index} (replay with stacks: FUZZ_STACK_LIMIT=20 npx tsx test/fuzz/run.ts --seed ${f.seed} --corpus ${run.corpusSize} --from ${f.index} --inputs 1 --workers 1): ${f.detail}\n     input: ${f.input}`);
  }
  console.log(lines.join('\n'));
  return flat && stats.failures.length === 0;
}
