import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNotifier, nextFrame } from '../src/notify.ts';

/** Frame timestamps, like performance.now(), monotonic (the module remembers the last flush). */
let time = 1_000_000;

afterEach(() => vi.unstubAllGlobals());

describe('two providers (two notifiers) on the default frame scheduler', () => {
  it('both flush about 30 times a second while both have messages every frame: neither starves', () => {
    let queued: ((now: number) => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (callback: (now: number) => void) => queued.push(callback));
    const first = createNotifier(nextFrame);
    const second = createNotifier(nextFrame);
    const flushed = [0, 0];
    const onFirst = () => void flushed[0]!++;
    const onSecond = () => void flushed[1]!++;
    for (let frame = 0; frame < 60; frame++) {
      first(onFirst);
      second(onSecond);
      time += 1000 / 60;
      const run = queued;
      queued = [];
      run.forEach((callback) => callback(time));
    }
    expect(flushed[0]).toBeGreaterThanOrEqual(25);
    expect(flushed[1]).toBeGreaterThanOrEqual(25);
    expect(Math.max(...flushed)).toBeLessThanOrEqual(31);
  });
});
