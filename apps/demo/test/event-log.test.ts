import { describe, expect, it } from 'vitest';
import { describeEvent } from '../src/ui/event-log.tsx';

describe('event log wording', () => {
  it('turns device events into short sentences', () => {
    expect(describeEvent('{"type":"motion","detected":true,"at":1}')).toEqual({ text: 'motion detected', tone: 'info' });
    expect(describeEvent('{"type":"door","door":"open"}').text).toBe('door opened');
    expect(describeEvent('{"type":"finished","program":"eco"}').text).toBe('finished eco program');
    expect(describeEvent('{"type":"paused","reason":"door opened"}').text).toBe('paused: door opened');
    expect(describeEvent('{"type":"locked","at":5}').text).toBe('locked');
  });

  it('marks refusals as warnings and shows unknown events and non-JSON as they are', () => {
    expect(describeEvent('{"type":"rejected","reason":"close the door first"}')).toEqual({ text: 'refused a command: close the door first', tone: 'warning' });
    expect(describeEvent('{"type":"filter","days":3}').text).toBe('filter (days 3)');
    expect(describeEvent('hello').text).toBe('hello');
  });
});
