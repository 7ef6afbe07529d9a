import { describe, expect, it } from 'vitest';
import { parseSharedSubscription, topicFilterProblem } from '../../src/topics/index.ts';

describe('shared subscriptions', () => {
  it.each([
    ['$share/g/a/b', 'g', 'a/b'],
    ['$share/group-1/sensors/+/temp', 'group-1', 'sensors/+/temp'],
    ['$share/g/#', 'g', '#'],
    ['$share/g/+', 'g', '+'],
    ['$share/g//', 'g', '/'],
    ['$share/$g/$SYS/#', '$g', '$SYS/#'],
  ])('[MQTT-4.8.2-1] parses %j into group %j and filter %j', (input, group, filter) => {
    expect(topicFilterProblem(input)).toBeUndefined();
    expect(parseSharedSubscription(input)).toEqual({ group, filter });
  });

  it.each(['a/b', '#', '$sharex/g/a', '$SHARE/g/a', '$share', 'share/g/a'])(
    'treats %j as an ordinary filter',
    (filter) => {
      expect(parseSharedSubscription(filter)).toBeUndefined();
    },
  );

  it.each([
    ['$share//a', /empty group name.*\[MQTT-4\.8\.2-1\]/],
    ['$share/', /without a filter.*\[MQTT-4\.8\.2-2\]/],
    ['$share/g', /without a filter.*\[MQTT-4\.8\.2-2\]/],
    ['$share/g/', /empty filter.*\[MQTT-4\.8\.2-2\]/],
    ['$share/+/a', /group "\+" contains a wildcard.*\[MQTT-4\.8\.2-2\]/],
    ['$share/g#/a', /contains a wildcard.*\[MQTT-4\.8\.2-2\]/],
    ['$share/a+b/a', /contains a wildcard.*\[MQTT-4\.8\.2-2\]/],
    ['$share/g/a/#/b', /must be the last level.*\[MQTT-4\.7\.1-2\]/],
    ['$share/g/a+', /must fill a whole level.*\[MQTT-4\.7\.1-3\]/],
  ])('rejects the malformed shared subscription %j', (filter, problem) => {
    expect(topicFilterProblem(filter)).toMatch(problem);
    expect(parseSharedSubscription(filter)).toBeUndefined();
  });
});
