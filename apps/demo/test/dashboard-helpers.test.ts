import { describe, expect, it } from 'vitest';
import { readConfig, DEFAULT_BROKER_URL } from '../src/config.ts';
import { createActivityLog } from '../src/ui/activity-log.ts';
import { SeriesHistory } from '../src/ui/charts/history.ts';
import { formatAgo, formatDuration, formatPayload, formatPower } from '../src/ui/format.ts';

describe('dashboard configuration', () => {
  it('reads ?broker= and ?kiosk=1, then the build env, then the default', () => {
    expect(readConfig('?broker=ws://10.0.0.2:9001/mqtt&kiosk=1', 'ws://env/mqtt')).toEqual({ brokerUrl: 'ws://10.0.0.2:9001/mqtt', kiosk: true });
    expect(readConfig('', 'ws://env/mqtt')).toEqual({ brokerUrl: 'ws://env/mqtt', kiosk: false });
    expect(readConfig('?kiosk=0', undefined)).toEqual({ brokerUrl: DEFAULT_BROKER_URL, kiosk: false });
    expect(readConfig('?kiosk', undefined).kiosk).toBe(true);
  });
});

describe('chart history', () => {
  it('keeps at most `capacity` aligned samples, oldest dropped first', () => {
    const history = new SeriesHistory(2, 3);
    for (let t = 1; t <= 5; t++) history.push(t, [t * 10, t === 4 ? null : t * 100]);
    expect(history.columns()).toEqual([[3, 4, 5], [30, 40, 50], [300, null, 500]]);
    expect(history.latest(0)).toBe(50);
    expect(history.length).toBe(3);
  });

  it('restores saved samples in front of newer ones, within the window and the capacity', () => {
    const before = new SeriesHistory(2, 5);
    for (let t = 1; t <= 5; t++) before.push(t, [t, t === 3 ? null : -t]);
    const after = new SeriesHistory(2, 5);
    after.push(10, [10, -10]);
    after.push(11, [11, -11]);
    after.restore(before.save(), 2); // samples older than t=2 are out of the window
    expect(after.columns()).toEqual([[3, 4, 5, 10, 11], [3, 4, 5, 10, 11], [null, -4, -5, -10, -11]]);
  });

  it('ignores saved text that is not a history of the same shape', () => {
    const history = new SeriesHistory(2, 5);
    for (const saved of [null, 'not json', '{}', '[[1,2],[1,2]]', '[[1,2],[1],[2,3]]', '[["a"],[1],[2]]']) history.restore(saved, 0);
    expect(history.length).toBe(0);
  });

  it('notifies subscribers on each sample', () => {
    const history = new SeriesHistory(1, 10);
    let calls = 0;
    const unsubscribe = history.subscribe(() => calls++);
    history.push(1, [1]);
    unsubscribe();
    history.push(2, [2]);
    expect(calls).toBe(1);
    expect(history.version).toBe(2);
  });
});

describe('activity log', () => {
  it('keeps the newest entries first and never more than its limit', () => {
    let now = 0;
    const log = createActivityLog(3, () => ++now);
    for (let i = 1; i <= 5; i++) log.add({ source: undefined, text: `entry ${i}`, tone: 'info' });
    expect(log.getSnapshot().map((entry) => entry.text)).toEqual(['entry 5', 'entry 4', 'entry 3']);
    expect(log.getSnapshot()[0]).toMatchObject({ at: 5, id: 5 });
  });
});

describe('formatting', () => {
  it('formats durations, ages, power and payloads', () => {
    expect(formatDuration(754)).toBe('12:34');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(-3)).toBe('0:00');
    expect(formatAgo(null, 0)).toBe('never');
    expect(formatAgo(0, 2000)).toBe('just now');
    expect(formatAgo(0, 42_000)).toBe('42 s ago');
    expect(formatAgo(0, 300_000)).toBe('5 min ago');
    expect(formatPower(950)).toBe('950 W');
    expect(formatPower(1500)).toBe('1.50 kW');
    expect(formatPayload(new TextEncoder().encode('{"on":true}'))).toBe('{"on":true}');
    expect(formatPayload(new Uint8Array([0xff, 0x00, 0x10]))).toBe('ff 00 10');
    expect(formatPayload(new TextEncoder().encode('x'.repeat(200)), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
