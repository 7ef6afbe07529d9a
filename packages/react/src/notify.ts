/** Runs `flush` once, later: on the next animation frame in a browser. Tests inject their own. */
export type FrameScheduler = (flush: () => void) => void;

/** Shortest time between flushes (ms): about 30 commits a second at most, whatever the display's refresh rate. */
export const MIN_FLUSH_INTERVAL = 32;
// From 0: a page's first flush may wait until 32 ms after navigation start, which no connection beats.
let lastFlush = 0;

/**
 * The first animation frame at least MIN_FLUSH_INTERVAL after the previous flush (every second frame at 60 Hz);
 * hidden tabs then pause rendering, not delivery. Without animation frames, a timer.
 * Never called on the server: notifications only come from subscriptions, which effects open.
 */
export const nextFrame: FrameScheduler = (flush) => {
  // A frame that already flushed (another provider's batch) flushes this batch too: same commit window, no starving.
  const frame = (now: number): unknown =>
    now != lastFlush && now - lastFlush < MIN_FLUSH_INTERVAL ? requestAnimationFrame(frame) : ((lastFlush = now), flush());
  (globalThis as Partial<typeof globalThis>).requestAnimationFrame ? requestAnimationFrame(frame) : setTimeout(flush);
};

/**
 * Batches notifications (TanStack's notifyManager idea): a callback queued any number of times before the next
 * flush runs once then, so a burst of messages costs each component at most one render per frame and React one
 * commit for all of them.
 */
export function createNotifier(schedule: FrameScheduler = nextFrame): (callback: () => void) => void {
  let queue: Set<() => void> | undefined;
  return (callback) => {
    if (!queue) {
      const batch = (queue = new Set());
      schedule(() => {
        queue = undefined;
        batch.forEach((run) => run());
      });
    }
    queue.add(callback);
  };
}
