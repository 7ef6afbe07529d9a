import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matches, topicFilterProblem, topicNameProblem, TopicTrie } from '../../src/topics/index.ts';

// A small alphabet so random filters and topics overlap often; '' gives empty levels, '$x' exercises [MQTT-4.7.2-1].
const literalLevel = fc.constantFrom('', 'a', 'b', 'c', '$x');
const topicArb = fc.array(literalLevel, { minLength: 1, maxLength: 5 }).map((levels) => levels.join('/')).filter((t) => t.length > 0);
const filterArb = fc
  .tuple(fc.array(fc.oneof(literalLevel, fc.constant('+')), { minLength: 0, maxLength: 5 }), fc.boolean())
  .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'))
  .filter((f) => f.length > 0);

describe('TopicTrie agrees with matches', () => {
  it('the generators produce valid names and filters', () => {
    fc.assert(fc.property(topicArb, (topic) => topicNameProblem(topic) === undefined));
    fc.assert(fc.property(filterArb, (filter) => topicFilterProblem(filter) === undefined));
  });

  it('[MQTT-4.7.2-1] match(topic) returns exactly the filters for which matches(filter, topic) holds', () => {
    fc.assert(
      fc.property(fc.uniqueArray(filterArb, { minLength: 1, maxLength: 40 }), fc.array(topicArb, { minLength: 1, maxLength: 20 }), (filters, topics) => {
        const trie = new TopicTrie<string>();
        for (const filter of filters) trie.add(filter, filter);
        for (const topic of topics) {
          const expected = filters.filter((filter) => matches(filter, topic)).sort();
          expect(trie.match(topic).sort()).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees after a random subset of filters is removed', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(filterArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        fc.array(topicArb, { minLength: 1, maxLength: 20 }),
        (filters, removeMask, topics) => {
          const trie = new TopicTrie<string>();
          for (const filter of filters) trie.add(filter, filter);
          const kept = filters.filter((filter, i) => {
            if (!removeMask[i]) return true;
            expect(trie.remove(filter, filter)).toBe(true);
            return false;
          });
          expect(trie.size).toBe(kept.length);
          for (const topic of topics) {
            expect(trie.match(topic).sort()).toEqual(kept.filter((filter) => matches(filter, topic)).sort());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
