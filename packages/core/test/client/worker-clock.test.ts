/** workerClock(): timers in a dedicated Worker, falling back to the page's timers when the worker cannot run. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/client/clock.ts';
import { workerClock } from '../../src/client/worker-clock.ts';

/** Stands in for the browser's Worker: records what the clock posts; the test answers for the worker. */
class FakeWorker {
  static last: FakeWorker | undefined;
  readonly posted: unknown[] = [];
  terminated = false;
  onmessage: ((event: { data: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeWorker.last = this;
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** The worker's timer `id` fired. */
  fire(id: number): void {
    this.onmessage?.({ data: id });
  }
}

const global = globalThis as { Worker?: unknown };

afterEach(() => {
  delete global.Worker;
  vi.useRealTimers();
});

describe('workerClock', () => {
  it('where there is no Worker (Node), is the page clock', () => {
    expect(global.Worker).toBeUndefined();
    expect(workerClock()).toBe(systemClock);
  });

  it('starts timers in the worker and runs each callback once when the worker says it is due', () => {
    global.Worker = FakeWorker;
    const clock = workerClock();
    const worker = FakeWorker.last!;
    expect(worker.url).toMatch(/^blob:/);
    const fired: string[] = [];
    const a = clock.setTimeout(() => fired.push('a'), 1_000);
    const b = clock.setTimeout(() => fired.push('b'), 500);
    expect(worker.posted).toEqual([[1, a, 1_000], [1, b, 500]]);
    worker.fire(b as number);
    worker.fire(b as number);
    expect(fired).toEqual(['b']);
    clock.clearTimeout(a);
    expect(worker.posted.at(-1)).toEqual([0, a]);
    worker.fire(a as number);
    expect(fired).toEqual(['b']);
  });

  it('when the worker fails to start (CSP), moves the timers already set to the page timers, due as before', () => {
    vi.useFakeTimers();
    global.Worker = FakeWorker;
    const clock = workerClock();
    const worker = FakeWorker.last!;
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('early'), 1_000);
    const cleared = clock.setTimeout(() => fired.push('cleared'), 1_500);
    clock.clearTimeout(cleared);
    vi.advanceTimersByTime(400);
    worker.onerror?.();
    expect(worker.terminated).toBe(true);
    clock.setTimeout(() => fired.push('later'), 100);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['later']);
    vi.advanceTimersByTime(499);
    expect(fired).toEqual(['later']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['later', 'early']);
    vi.advanceTimersByTime(5_000);
    expect(fired).toEqual(['later', 'early']);
  });
});
