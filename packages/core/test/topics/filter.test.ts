import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import { topicFilterProblem, validateTopicFilter } from '../../src/topics/index.ts';

describe('topic filters', () => {
  it.each([
    'a',
    'a/b',
    '#',
    '+',
    '/',
    '+/+',
    '/+',
    '+/',
    'a/#',
    'a/+/c',
    '+/#',
    '//#',
    'sport/tennis/+',
    '$SYS/#',
    '$SYS/+/load',
    '€/+/😀',
  ])('accepts %j', (filter) => {
    expect(topicFilterProblem(filter)).toBeUndefined();
  });

  it('[MQTT-4.7.3-1] rejects the empty filter', () => {
    expect(topicFilterProblem('')).toMatch(/must not be empty.*\[MQTT-4\.7\.3-1\]/);
  });

  it.each(['a/#/b', '#/a', '#/'])('[MQTT-4.7.1-2] rejects %j: # must be the last level', (filter) => {
    expect(topicFilterProblem(filter)).toMatch(/must be the last level.*\[MQTT-4\.7\.1-2\]/);
  });

  it.each(['a#', 'a/b#', '#a', 'a/#b', '##', 'sport/tennis#'])(
    '[MQTT-4.7.1-2] rejects %j: # must fill its level',
    (filter) => {
      expect(topicFilterProblem(filter)).toMatch(/'#' must fill a whole level.*\[MQTT-4\.7\.1-2\]/);
    },
  );

  it.each(['a+', '+a', 'a/b+/c', 'sport+', '++', 'a/++'])(
    '[MQTT-4.7.1-3] rejects %j: + must fill its level',
    (filter) => {
      expect(topicFilterProblem(filter)).toMatch(/'\+' must fill a whole level.*\[MQTT-4\.7\.1-3\]/);
    },
  );

  it('[MQTT-4.7.3-2] rejects U+0000', () => {
    expect(topicFilterProblem('a/\u0000/#')).toMatch(/U\+0000.*\[MQTT-4\.7\.3-2\]/);
  });

  it('[MQTT-4.7.3-3] accepts 65,535 UTF-8 bytes and rejects 65,536', () => {
    expect(topicFilterProblem(`${'a'.repeat(65_533)}/#`)).toBeUndefined();
    expect(topicFilterProblem(`${'a'.repeat(65_534)}/#`)).toMatch(/\[MQTT-4\.7\.3-3\]/);
  });

  it('[MQTT-1.5.4-1] rejects an unpaired surrogate', () => {
    expect(topicFilterProblem('a/\ud800/#')).toMatch(/\[MQTT-1\.5\.4-1\]/);
  });

  it('validateTopicFilter throws InvalidArgumentError naming the field', () => {
    expect(() => validateTopicFilter('a/#')).not.toThrow();
    try {
      validateTopicFilter('a/#/b', 'subscriptions[2].filter');
      expect.unreachable('validateTopicFilter should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe('subscriptions[2].filter');
      expect((error as Error).message).toMatch(/^subscriptions\[2\]\.filter: topic filter "a\/#\/b"/);
    }
    expect(() => validateTopicFilter('a+')).toThrow(/^filter: /);
  });
});
