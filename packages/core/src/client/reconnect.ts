import type { Clock, ReconnectOptions } from './types.ts';

/**
 * Reconnect scheduling: exponential backoff with full jitter (a random delay in [0, min(max, min * factor^n)]),
 * so a fleet of clients cut off together does not return together. A connection that stays up `resetAfter` ms
 * resets the backoff.
 */
export class Reconnect {
  /** Failed attempts since the backoff was last reset. */
  attempt = 0;
  #timer: unknown;
  #connectedAt: number | undefined;
  readonly #min: number;
  readonly #max: number;
  readonly #factor: number;
  readonly #resetAfter: number;
  readonly #random: () => number;

  readonly #clock: Clock;

  constructor(clock: Clock, options: ReconnectOptions = {}) {
    this.#clock = clock;
    this.#min = options.minDelay ?? 1_000;
    this.#max = options.maxDelay ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#resetAfter = options.resetAfter ?? 10_000;
    this.#random = options.random ?? Math.random;
  }

  /** The delay before the next attempt (advances the attempt count). */
  nextDelay(): number {
    const ceiling = Math.min(this.#max, this.#min * this.#factor ** this.attempt);
    this.attempt++;
    return Math.floor(this.#random() * ceiling);
  }

  /**
   * Schedules `run` after the next backoff delay, or (`backoff` false: the next server of a round) on the next timer
   * turn without advancing the backoff; returns the epoch ms it will run at.
   */
  schedule(run: () => void, backoff = true): number {
    this.cancel();
    const delay = backoff ? this.nextDelay() : 0;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      run();
    }, delay);
    return this.#clock.now() + delay;
  }

  cancel(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** A connection succeeded. */
  connected(): void {
    this.#connectedAt = this.#clock.now();
  }

  /** A connection ended: if it stayed up long enough, the backoff starts over. */
  disconnected(): void {
    if (this.#connectedAt !== undefined && this.#clock.now() - this.#connectedAt >= this.#resetAfter) this.attempt = 0;
    this.#connectedAt = undefined;
  }
}
