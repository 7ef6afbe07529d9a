/**
 * A small seeded pseudo-random source for fuzzers and fault injection: the same seed gives the same run, so a
 * failure found at random is replayed exactly by passing its seed back.
 */
export interface Random {
  /** The seed this source started from, to print next to any failure. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max]. */
  range(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Uint8Array;
  /** A new independent source derived from this one (for a sub-task that must not shift this one's sequence). */
  fork(): Random;
}

/** mulberry32: 32 bits of state, fast, good enough to drive tests (not for anything secret). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    range: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = int(256);
      return out;
    },
    fork: () => createRandom(int(4_294_967_296)),
  };
}

/** A seed from the environment (`SEED=123`) when given, so a failing run can be replayed, else a fresh one. */
export function seedFromEnv(name = 'SEED'): number {
  const text = process.env[name];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : Math.floor(Math.random() * 4_294_967_296);
}
