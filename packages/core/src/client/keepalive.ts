import type { Clock } from './types.ts';

/**
 * Keepalive against a clock rather than a timer count: background tabs run timers a minute late, so every check
 * compares the time since the last packet sent or received with the interval and pings when due, however late
 * it runs; the client also calls `check()` when the page becomes visible or the network comes back. A PINGREQ
 * left unanswered for `timeoutMs` means the connection is dead [MQTT-3.1.2-24 is the server's side; this is the
 * client's].
 */
export class KeepAlive {
  #intervalMs = 0;
  #lastSent = 0;
  #lastReceived = 0;
  #pingSentAt: number | undefined;
  #timer: unknown;
  #timeoutMs = 0;

  readonly #clock: Clock;
  readonly #sendPing: () => void;
  readonly #onDead: () => void;
  readonly #pingTimeout: number | undefined;

  constructor(clock: Clock, sendPing: () => void, onDead: () => void, pingTimeout: number | undefined) {
    this.#clock = clock;
    this.#sendPing = sendPing;
    this.#onDead = onDead;
    this.#pingTimeout = pingTimeout;
  }

  /** Starts watching a fresh connection; `seconds` 0 disables keepalive. */
  start(seconds: number): void {
    this.stop();
    this.#intervalMs = seconds * 1000;
    if (this.#intervalMs === 0) return;
    this.#timeoutMs = this.#pingTimeout ?? Math.min(this.#intervalMs / 2, 30_000);
    this.#lastSent = this.#lastReceived = this.#clock.now();
    this.#pingSentAt = undefined;
    this.#schedule();
  }

  stop(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#intervalMs = 0;
  }

  /** Call when bytes were written. */
  sent(): void {
    this.#lastSent = this.#clock.now();
  }

  /** Call when a packet arrived: any packet proves the connection is alive. */
  received(): void {
    this.#lastReceived = this.#clock.now();
    this.#pingSentAt = undefined;
  }

  /** Pings if due, declares the connection dead if a ping went unanswered too long; then re-arms the timer. */
  check(): void {
    if (this.#intervalMs === 0) return;
    const now = this.#clock.now();
    if (this.#pingSentAt !== undefined) {
      if (now - this.#pingSentAt >= this.#timeoutMs) {
        this.stop();
        this.#onDead();
        return;
      }
    } else if (now - Math.min(this.#lastSent, this.#lastReceived) >= this.#intervalMs) {
      this.#pingSentAt = this.#lastSent = now;
      this.#sendPing();
    }
    this.#schedule();
  }

  #schedule(): void {
    this.#clock.clearTimeout(this.#timer);
    const due =
      this.#pingSentAt !== undefined
        ? this.#pingSentAt + this.#timeoutMs
        : Math.min(this.#lastSent, this.#lastReceived) + this.#intervalMs;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.check();
    }, Math.max(0, due - this.#clock.now()));
  }
}
