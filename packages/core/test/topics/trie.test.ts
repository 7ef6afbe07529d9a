import { describe, expect, it } from 'vitest';
import { TopicTrie } from '../../src/topics/index.ts';

function sorted<T>(values: T[]): T[] {
  return [...values].sort();
}

function matchesWithFilters<T>(trie: TopicTrie<T>, topic: string): Array<[T, string]> {
  const seen: Array<[T, string]> = [];
  trie.forEachMatch(topic, (value, filter) => seen.push([value, filter]));
  return seen.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

describe('TopicTrie', () => {
  it('matches exact filters and keeps several values per filter', () => {
    const trie = new TopicTrie<string>();
    trie.add('a/b', 'x');
    trie.add('a/b', 'y');
    trie.add('a/c', 'z');
    expect(sorted(trie.match('a/b'))).toEqual(['x', 'y']);
    expect(trie.match('a/c')).toEqual(['z']);
    expect(trie.match('a')).toEqual([]);
    expect(trie.match('a/b/c')).toEqual([]);
    expect(trie.size).toBe(3);
  });

  it('stores a value once per filter: adding it again is a no-op', () => {
    const trie = new TopicTrie<string>();
    trie.add('a/+', 'x');
    trie.add('a/+', 'x');
    expect(trie.size).toBe(1);
    expect(trie.match('a/b')).toEqual(['x']);
    expect(trie.remove('a/+', 'x')).toBe(true);
    expect(trie.match('a/b')).toEqual([]);
  });

  it('reports a value stored under two overlapping filters once per filter, with the filter', () => {
    const trie = new TopicTrie<string>();
    trie.add('a/+', 'x');
    trie.add('a/#', 'x');
    trie.add('a/b', 'x');
    trie.add('b/#', 'x');
    expect(trie.match('a/b')).toEqual(['x', 'x', 'x']);
    expect(matchesWithFilters(trie, 'a/b')).toEqual([
      ['x', 'a/#'],
      ['x', 'a/+'],
      ['x', 'a/b'],
    ]);
  });

  it('[MQTT-4.7.1-3] + matches exactly one level, including an empty one', () => {
    const trie = new TopicTrie<string>();
    trie.add('sport/tennis/+', 'v');
    expect(trie.match('sport/tennis/player1')).toEqual(['v']);
    expect(trie.match('sport/tennis/')).toEqual(['v']);
    expect(trie.match('sport/tennis/player1/ranking')).toEqual([]);
    expect(trie.match('sport/tennis')).toEqual([]);
  });

  it('[MQTT-4.7.1-2] # matches every level below and the parent level itself', () => {
    const trie = new TopicTrie<string>();
    trie.add('sport/tennis/player1/#', 'v');
    expect(trie.match('sport/tennis/player1')).toEqual(['v']);
    expect(trie.match('sport/tennis/player1/ranking')).toEqual(['v']);
    expect(trie.match('sport/tennis/player1/score/wimbledon')).toEqual(['v']);
    expect(trie.match('sport/tennis')).toEqual([]);
    expect(trie.match('sport/tennis/player2')).toEqual([]);
  });

  it('treats empty levels as levels', () => {
    const trie = new TopicTrie<string>();
    trie.add('/', 'root-slash');
    trie.add('+/+', 'two');
    trie.add('a//b', 'empty-middle');
    trie.add('a/+/b', 'plus-middle');
    expect(sorted(trie.match('/'))).toEqual(['root-slash', 'two']);
    expect(sorted(trie.match('a//b'))).toEqual(['empty-middle', 'plus-middle']);
    expect(trie.match('a/b')).toEqual(['two']);
  });

  it('[MQTT-4.7.2-1] a leading wildcard does not match a $-topic; an explicit $ level does', () => {
    const trie = new TopicTrie<string>();
    trie.add('#', 'all');
    trie.add('+/broker', 'plus');
    trie.add('$SYS/#', 'sys');
    trie.add('$SYS/+', 'sys-plus');
    expect(sorted(trie.match('$SYS/broker'))).toEqual(['sys', 'sys-plus']);
    expect(trie.match('$SYS')).toEqual(['sys']);
    expect(sorted(trie.match('x/broker'))).toEqual(['all', 'plus']);
    // A $ after the first level is an ordinary character.
    expect(sorted(trie.match('x/$broker'))).toEqual(['all']);
  });

  it('remove returns whether the value was there and keeps other values and filters', () => {
    const trie = new TopicTrie<number>();
    trie.add('a/+', 1);
    trie.add('a/+', 2);
    trie.add('a/+/c', 3);
    expect(trie.remove('a/+', 3)).toBe(false);
    expect(trie.remove('a/#', 1)).toBe(false);
    expect(trie.remove('x/y/z', 1)).toBe(false);
    expect(trie.remove('a/+', 1)).toBe(true);
    expect(trie.remove('a/+', 1)).toBe(false);
    expect(trie.size).toBe(2);
    expect(trie.match('a/b')).toEqual([2]);
    expect(trie.match('a/b/c')).toEqual([3]);
    expect(trie.remove('a/+', 2)).toBe(true);
    // The node for `a/+` still leads to `a/+/c`.
    expect(trie.match('a/b')).toEqual([]);
    expect(trie.match('a/b/c')).toEqual([3]);
  });

  it('prunes emptied branches so a re-added filter works like new', () => {
    const trie = new TopicTrie<string>();
    trie.add('a/b/c/#', 'x');
    trie.add('a/+', 'y');
    expect(trie.remove('a/b/c/#', 'x')).toBe(true);
    expect(trie.remove('a/+', 'y')).toBe(true);
    expect(trie.size).toBe(0);
    expect(trie.match('a/b/c/d')).toEqual([]);
    trie.add('a/b/c/#', 'z');
    expect(trie.match('a/b/c')).toEqual(['z']);
  });

  it('handles a topic with 32,768 levels without overflowing the stack', () => {
    const trie = new TopicTrie<string>();
    const deepFilter = Array.from({ length: 32_767 }, () => '+').join('/') + '/#';
    trie.add(deepFilter, 'deep');
    trie.add('#', 'all');
    const deepTopic = Array.from({ length: 32_768 }, () => 'a').join('/');
    expect(sorted(trie.match(deepTopic))).toEqual(['all', 'deep']);
  });

  it('matches among 20,000 filters by walking levels, not by scanning filters', () => {
    const trie = new TopicTrie<number>();
    for (let i = 0; i < 20_000; i++) trie.add(`home/room${i}/sensor${i % 7}/temp`, i);
    trie.add('home/+/sensor3/#', -1);
    expect(trie.size).toBe(20_001);
    expect(sorted(trie.match('home/room10/sensor3/temp'))).toEqual([-1, 10]);
    expect(trie.match('home/room10/sensor4/temp')).toEqual([]);
  });
});
