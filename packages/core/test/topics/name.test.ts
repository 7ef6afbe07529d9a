import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import { topicNameProblem, validateTopicName } from '../../src/topics/index.ts';

describe('topic names', () => {
  it.each(['a', 'a/b/c', '/', '//', 'a//b', '/leading', 'trailing/', ' ', '$SYS/broker', 'ü/€/😀', 'A/a'])(
    'accepts %j',
    (name) => {
      expect(topicNameProblem(name)).toBeUndefined();
    },
  );

  it('[MQTT-4.7.3-1] rejects the empty name', () => {
    expect(topicNameProblem('')).toMatch(/must not be empty.*\[MQTT-4\.7\.3-1\]/);
  });

  it.each(['+', '#', 'a/+', 'a/#', 'a+b', 'a/b#', 'sport/+/player1'])(
    '[MQTT-4.7.1-1] rejects the wildcard in %j',
    (name) => {
      expect(topicNameProblem(name)).toMatch(/wildcard.*\[MQTT-4\.7\.1-1\]/);
    },
  );

  it('[MQTT-4.7.3-2] rejects U+0000 and says where it is', () => {
    expect(topicNameProblem('a/\u0000b')).toMatch(/U\+0000 \(at index 2\).*\[MQTT-4\.7\.3-2\]/);
  });

  it('[MQTT-4.7.3-3] accepts exactly 65,535 UTF-8 bytes and rejects one more', () => {
    expect(topicNameProblem('a'.repeat(65_535))).toBeUndefined();
    expect(topicNameProblem('a'.repeat(65_536))).toMatch(/65536 bytes.*\[MQTT-4\.7\.3-3\]/);
  });

  it('[MQTT-4.7.3-3] counts UTF-8 bytes, not UTF-16 code units', () => {
    // '€' is one UTF-16 unit but three UTF-8 bytes; '😀' is two units and four bytes.
    const euros = '€'.repeat(21_845); // 65,535 bytes
    expect(new TextEncoder().encode(euros).length).toBe(65_535);
    expect(topicNameProblem(euros)).toBeUndefined();
    expect(topicNameProblem(`${euros}a`)).toMatch(/65536 bytes/);
    expect(topicNameProblem(`${'😀'.repeat(16_383)}abc`)).toBeUndefined(); // 65,532 + 3
    expect(topicNameProblem(`${'😀'.repeat(16_384)}`)).toMatch(/65536 bytes/);
  });

  it.each([
    ['a lone high surrogate', 'a/\ud83d'],
    ['a lone low surrogate', '\ude00/b'],
    ['reversed surrogates', '\ude00\ud83d'],
  ])('[MQTT-1.5.4-1] rejects %s, which cannot be encoded as UTF-8', (_label, name) => {
    expect(topicNameProblem(name)).toMatch(/unpaired UTF-16 surrogate.*\[MQTT-1\.5\.4-1\]/);
  });

  it('validateTopicName throws InvalidArgumentError naming the field', () => {
    expect(() => validateTopicName('a/+')).toThrow(InvalidArgumentError);
    try {
      validateTopicName('a/#', 'will.topic');
      expect.unreachable('validateTopicName should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      const e = error as InvalidArgumentError;
      expect(e.field).toBe('will.topic');
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toMatch(/^will\.topic: topic name "a\/#" must not contain the wildcard '#'/);
    }
  });

  it('validateTopicName uses "topic" as the default field and passes valid names', () => {
    expect(() => validateTopicName('ok/topic')).not.toThrow();
    expect(() => validateTopicName('')).toThrow(/^topic: /);
  });

  it('shortens a huge topic in the error message', () => {
    let message = '';
    try {
      validateTopicName(`${'x'.repeat(70_000)}`);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/70000 bytes/);
    expect(message.length).toBeLessThan(300);
  });
});
