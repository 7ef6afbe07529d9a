/** Runs `flush` once, later: on the next animation frame in a browser. Tests inject their own. */
export type FrameScheduler = (flush: () => void) => void;

/**
 * The next animation frame where there is one (hidden tabs then pause rendering, not delivery), else a timer.
 * Never called on the server: notifications only come from subscriptions, which effects open.
 */
export const nextFrame: FrameScheduler = (flush) =>
  void (typeof requestAnimationFrame == 'function' ? requestAnimationFrame : setTimeout)(flush);

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
