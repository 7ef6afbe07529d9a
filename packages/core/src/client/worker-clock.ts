import { systemClock } from './clock.ts';
import type { Clock } from './types.ts';

/** The worker's whole program: `[1, id, ms]` starts a timer that posts `id` back when due, `[0, id]` clears it. */
const WORKER_SOURCE =
  'const t=new Map;onmessage=({data:[s,i,m]})=>{if(s)t.set(i,setTimeout(()=>{t.delete(i);postMessage(i)},m));else{clearTimeout(t.get(i));t.delete(i)}}';

interface Pending {
  callback: () => void;
  due: number;
}

/**
 * A `Clock` whose timers run in a dedicated Worker. Browsers throttle a hidden tab's timers to about one wake-up a
 * minute (Chrome's intensive throttling), which can make even a clock-checked keepalive ping too late for a 60 s
 * keepalive (the server waits 1.5x); dedicated workers' timers are not throttled that way.
 *
 * ```ts
 * const client = new MqttClient({ url, clock: workerClock() });
 * ```
 *
 * Where a Worker cannot start (Node, a Content-Security-Policy without `worker-src blob:`), it uses the page's
 * timers, moving any timer already set over to them: nothing waits on a worker that never runs.
 */
export function workerClock(): Clock {
  const pending = new Map<number, Pending>();
  let worker: Worker | undefined;
  let nextId = 0;

  /** The worker failed: run every timer on the page's clock from now on. */
  const fallBack = (): void => {
    if (worker === undefined) return;
    worker.terminate();
    worker = undefined;
    for (const [id, timer] of pending) {
      systemClock.setTimeout(() => fire(id), Math.max(0, timer.due - Date.now()));
    }
  };
  const fire = (id: number): void => {
    const timer = pending.get(id);
    if (timer === undefined) return;
    pending.delete(id);
    timer.callback();
  };

  try {
    // The URL is kept (one per clock): revoking it at once can fail the worker's still pending script load.
    worker = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
    worker.onmessage = (event: MessageEvent<number>) => fire(event.data);
    worker.onerror = fallBack;
  } catch {
    return systemClock;
  }

  return {
    now: () => Date.now(),
    setTimeout(callback, ms) {
      const id = ++nextId;
      pending.set(id, { callback, due: Date.now() + ms });
      if (worker !== undefined) worker.postMessage([1, id, ms]);
      else systemClock.setTimeout(() => fire(id), ms);
      return id;
    },
    clearTimeout(handle) {
      if (typeof handle !== 'number' || !pending.delete(handle)) return;
      worker?.postMessage([0, handle]);
    },
  };
}
