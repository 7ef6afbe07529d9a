import type { Clock } from './types.ts';

/** The real clock: `Date.now` and the global timers. Tests inject a fake one through `ClientOptions.clock`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
