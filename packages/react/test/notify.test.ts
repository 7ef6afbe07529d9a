import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNotifier, nextFrame } from '../src/notify.ts';

/** Frame timestamps, like performance.now(): monotonic across the whole file (the module remembers the last flush). */
let time = 1_000;

/** Animation frames at 60 Hz (or any rate), run by hand with their timestamps. */
function fakeFrames(hz: number) {
  let queued: ((now: number) => void)[] = [];
  vi.stubGlobal('requestAnimationFrame', (callback: (now: number) => void) => queued.push(callback));
  return {
    /** Runs one frame; returns the callbacks it ran. */
    tick(): number {
      time += 1000 / hz;
      const run = queued;
      queued = [];
      run.forEach((callback) => callback(time));
      return run.length;
    },
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('notifications', () => {
  it('run a callback queued many times before a flush once', () => {
    const flushes: (() => void)[] = [];
    const notify = createNotifier((flush) => void flushes.push(flush));
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    for (let i = 0; i < 1_000; i++) notify(i % 2 ? a : b);
    expect(flushes).toHaveLength(1);
    flushes[0]!();
    expect(calls.sort()).toEqual(['a', 'b']);
  });

  it.each([60, 120, 144])('flush at most ~30 times a second on a %i Hz display, with a queue always waiting', (hz) => {
    const frames = fakeFrames(hz);
    const notify = createNotifier(nextFrame);
    let flushed = 0;
    const onChange = () => {
      flushed++;
    };
    for (let frame = 0; frame < hz; frame++) {
      notify(onChange); // a message arrives every frame for one second
      frames.tick();
    }
    expect(flushed).toBeGreaterThanOrEqual(25);
    expect(flushed).toBeLessThanOrEqual(31);
  });
});
