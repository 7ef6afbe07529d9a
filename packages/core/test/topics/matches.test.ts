import { describe, expect, it } from 'vitest';
import { matches } from '../../src/topics/index.ts';

describe('matches', () => {
  it.each([
    ['a/b', 'a/b'],
    ['+', 'a'],
    ['+/+', 'a/b'],
    ['a/+/c', 'a/b/c'],
    ['#', 'a'],
    ['#', 'a/b/c'],
    ['a/#', 'a/b/c'],
    ['+/#', 'a/b'],
    ['+/+', '/'],
    ['/+', '/x'],
    ['+/b', '/b'],
    ['a//c', 'a//c'],
    ['a/+/c', 'a//c'],
    ['#', '/'],
    ['$SYS/#', '$SYS/broker/load'],
    ['$SYS/+/load', '$SYS/broker/load'],
    ['$SYS', '$SYS'],
  ])('%j matches %j', (filter, topic) => {
    expect(matches(filter, topic)).toBe(true);
  });

  it.each([
    ['a/b', 'a/c'],
    ['a', 'a/b'],
    ['a/b', 'a'],
    ['+', 'a/b'],
    ['+', '/'],
    ['a/+', 'a'],
    ['a/+/c', 'a/b/c/d'],
    ['a/#', 'b'],
    ['a/#', 'ab'],
  ])('%j does not match %j', (filter, topic) => {
    expect(matches(filter, topic)).toBe(false);
  });

  it('[MQTT-4.7.1-2] # matches the parent level itself', () => {
    expect(matches('sport/tennis/player1/#', 'sport/tennis/player1')).toBe(true);
    expect(matches('sport/tennis/player1/#', 'sport/tennis/player1/ranking')).toBe(true);
    expect(matches('sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon')).toBe(true);
    expect(matches('sport/#', 'sport')).toBe(true);
  });

  it('[MQTT-4.7.1-3] + matches exactly one level, including an empty one', () => {
    expect(matches('sport/tennis/+', 'sport/tennis/player1')).toBe(true);
    expect(matches('sport/tennis/+', 'sport/tennis/player1/ranking')).toBe(false);
    expect(matches('sport/+', 'sport')).toBe(false);
    expect(matches('sport/+', 'sport/')).toBe(true);
    expect(matches('+/+', '/finance')).toBe(true);
    expect(matches('/+', '/finance')).toBe(true);
    expect(matches('+', '/finance')).toBe(false);
  });

  it('[MQTT-4.7.2-1] a leading wildcard does not match a $-topic', () => {
    expect(matches('#', '$SYS/broker')).toBe(false);
    expect(matches('+/monitor/Clients', '$SYS/monitor/Clients')).toBe(false);
    expect(matches('+', '$SYS')).toBe(false);
    expect(matches('$SYS/monitor/+', '$SYS/monitor/Clients')).toBe(true);
    expect(matches('$SYS/#', '$SYS')).toBe(true);
    // Only the first character counts: a $ later in the topic is an ordinary character.
    expect(matches('#', 'a/$b')).toBe(true);
    expect(matches('a/+', 'a/$b')).toBe(true);
  });

  it('[MQTT-4.7.3-4] compares levels exactly, without normalisation', () => {
    expect(matches('ACCOUNTS', 'Accounts')).toBe(false);
    expect(matches('a/b', 'a/b/')).toBe(false);
    expect(matches('a b', 'a b')).toBe(true);
    expect(matches('a/b', 'a /b')).toBe(false);
    expect(matches('caf\u00e9', 'cafe\u0301')).toBe(false); // NFC vs NFD of "café"
  });

  it('does not interpret $share: the caller passes the inner filter', () => {
    expect(matches('$share/g/a', 'a')).toBe(false);
  });
});
