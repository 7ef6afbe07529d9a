/**
 * The order in which a client tries a server list: as given, or shuffled so that many clients spread over a
 * cluster's nodes instead of all landing on the first one.
 */

/** A copy of `servers` in the order to try them; the caller's array is never reordered. */
export function orderServers(servers: readonly string[], order: 'in-order' | 'random' = 'in-order', random: () => number = Math.random): string[] {
  return order === 'random' ? shuffle(servers, random) : [...servers];
}

/**
 * An unbiased Fisher–Yates shuffle of a copy of `items`: every permutation is equally likely when `random` is
 * uniform in [0, 1). (`sort(() => random() - 0.5)` is not: the comparator is inconsistent, and how often each
 * order comes out depends on the sort algorithm.)
 */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    // min() guards a source that returns exactly 1.
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
