import { describe, expect, it } from 'vitest';
import { deviceLabel, DEVICES, MODELS } from '../src/devices/home.ts';
import { deviceTopics, parseDeviceTopic } from '../src/devices/topics.ts';

describe('topic layout', () => {
  it('puts the smart dishwasher at myhome/kitchen/smartdishwasher', () => {
    expect(deviceTopics('kitchen', 'smartdishwasher')).toEqual({
      base: 'myhome/kitchen/smartdishwasher',
      state: 'myhome/kitchen/smartdishwasher/state',
      set: 'myhome/kitchen/smartdishwasher/set',
      availability: 'myhome/kitchen/smartdishwasher/availability',
      events: 'myhome/kitchen/smartdishwasher/events',
    });
    expect(DEVICES.some((device) => device.topics.base === 'myhome/kitchen/smartdishwasher')).toBe(true);
  });

  it('parses device topics and rejects others', () => {
    expect(parseDeviceTopic('myhome/hall/front-door-lock/state')).toEqual({ room: 'hall', device: 'front-door-lock', leaf: 'state' });
    expect(parseDeviceTopic('myhome/hall/state')).toBeUndefined();
    expect(parseDeviceTopic('otherhome/a/b/state')).toBeUndefined();
  });

  it('gives every device a unique id, valid topic levels and a model whose initial state serialises', () => {
    expect(new Set(DEVICES.map((device) => device.id)).size).toBe(DEVICES.length);
    for (const device of DEVICES) {
      expect(device.topics.base).toMatch(/^myhome\/[a-z-]+\/[a-z-]+$/);
      const initial = MODELS[device.kind].initial();
      expect(JSON.parse(JSON.stringify(initial))).toEqual(initial);
    }
  });

  it('labels devices by room and name for the event log', () => {
    expect(deviceLabel('hall/motion')).toBe('Hall · Motion');
    expect(deviceLabel('attic/ghost')).toBe('attic/ghost');
  });
});
