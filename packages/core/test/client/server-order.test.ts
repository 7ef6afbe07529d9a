/**
 * serverOrder 'random': an unbiased shuffle, checked by its distribution over many shuffles from a fixed seed (so
 * the statistical bound is deterministic and cannot flake). The old `sort(() => random() - 0.5)` is run through the
 * same check to show the check catches a biased shuffle.
 */
import { describe, expect, it } from 'vitest';
import { orderServers, shuffle } from '../../src/client/server-order.ts';
import { createRandom } from '../../../../test/support/random.ts';
import { settle } from './fakes.ts';
import { harness } from './harness.ts';

const SHUFFLES = 60_000;

/** Pearson's chi-square of observed counts against a uniform expectation. */
function chiSquare(counts: Iterable<number>, categories: number, total: number): number {
  const expected = total / categories;
  let sum = 0;
  let seen = 0;
  for (const count of counts) {
    sum += (count - expected) ** 2 / expected;
    seen++;
  }
  // Categories never observed count too.
  return sum + (categories - seen) * expected;
}

/** How often each permutation of [a, b, c, d] comes out of `order`. */
function permutationCounts(order: (items: readonly string[], random: () => number) => string[], seed: number): Map<string, number> {
  const random = createRandom(seed);
  const counts = new Map<string, number>();
  for (let i = 0; i < SHUFFLES; i++) {
    const key = order(['a', 'b', 'c', 'd'], random.next).join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

// 4 items: 24 permutations, 23 degrees of freedom; P(chi2 > 49.7) = 0.001 for a uniform shuffle.
const CHI2_23_P001 = 49.7;
const biasedSort = (items: readonly string[], random: () => number): string[] => [...items].sort(() => random() - 0.5);

describe("serverOrder 'random'", () => {
  it('every permutation of 4 servers is equally likely (chi-square, 60,000 seeded shuffles)', () => {
    for (const seed of [1, 2, 3]) {
      const counts = permutationCounts(shuffle, seed);
      expect(counts.size).toBe(24);
      expect(chiSquare(counts.values(), 24, SHUFFLES)).toBeLessThan(CHI2_23_P001);
    }
  });

  it('each server is first equally often: the load spreads over the nodes', () => {
    const counts = permutationCounts(shuffle, 7);
    const first = new Map<string, number>();
    for (const [key, count] of counts) first.set(key[0]!, (first.get(key[0]!) ?? 0) + count);
    // 3 degrees of freedom: P(chi2 > 16.27) = 0.001.
    expect(chiSquare(first.values(), 4, SHUFFLES)).toBeLessThan(16.27);
  });

  it('the check catches the biased sort(() => random() - 0.5) it replaces', () => {
    const counts = permutationCounts(biasedSort, 1);
    expect(chiSquare(counts.values(), 24, SHUFFLES)).toBeGreaterThan(10 * CHI2_23_P001);
  });

  it('copies: the caller’s list is left in its order; in-order keeps it', () => {
    const servers = ['ws://a', 'ws://b', 'ws://c'];
    const random = createRandom(5);
    const shuffled = orderServers(servers, 'random', random.next);
    expect(servers).toEqual(['ws://a', 'ws://b', 'ws://c']);
    expect([...shuffled].sort()).toEqual(servers);
    expect(orderServers(servers)).toEqual(servers);
    expect(orderServers(servers)).not.toBe(servers);
  });

  it('a random source that returns exactly 1 still yields a permutation', () => {
    expect(shuffle(['a', 'b', 'c'], () => 1).sort()).toEqual(['a', 'b', 'c']);
  });

  it('the client tries a shuffled copy: every server once per round, the caller’s array untouched', async () => {
    const servers = ['ws://a/mqtt', 'ws://b/mqtt', 'ws://c/mqtt'];
    const h = harness({ url: undefined, servers, serverOrder: 'random', reconnect: { minDelay: 1_000, random: () => 1 } } as never);
    void h.client.connect();
    for (let i = 0; i < 3; i++) {
      await settle();
      h.network.last.drop();
      h.clock.advance(0);
    }
    expect(servers).toEqual(['ws://a/mqtt', 'ws://b/mqtt', 'ws://c/mqtt']);
    expect(h.network.connections.map((c) => c.options.url).sort()).toEqual(servers);
  });
});
