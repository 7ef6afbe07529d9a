import type { Clock } from './types.ts';

/** Something that fires `visibilitychange` / `online` (document, window); tests pass an `EventTarget`. */
export interface WakeSource {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** The page's document and window where they exist (browsers), nothing elsewhere. */
export function defaultWakeSources(): WakeSource[] {
  const sources: WakeSource[] = [];
  if (typeof document !== 'undefined' && typeof document.addEventListener === 'function') sources.push(document);
  const global = globalThis as Partial<WakeSource>;
  if (typeof global.addEventListener === 'function' && typeof global.removeEventListener === 'function') {
    sources.push(global as WakeSource);
  }
  return sources;
}

/**
 * Keepalive against a clock rather than a timer count: background tabs run timers a minute late, so every check
 * compares the time since the last packet sent or received with the interval and pings when due, however late
 * it runs. A page becoming visible or the network coming back checks at once. A PINGREQ left unanswered for
 * `timeoutMs` means the connection is dead [MQTT-3.1.2-24 is the server's side; this is the client's].
 */
export class KeepAlive {
  #intervalMs = 0;
  #lastSent = 0;
  #lastReceived = 0;
  #pingSentAt: number | undefined;
  #timer: unknown;
  #timeoutMs = 0;
  readonly #onWake = (): void => {
    if (typeof document === 'undefined' || document.visibilityState !== 'hidden') this.check();
  };

  readonly #clock: Clock;
  readonly #sendPing: () => void;
  readonly #onDead: () => void;
  readonly #pingTimeout: number | undefined;
  readonly #wakeSources: WakeSource[];

  constructor(clock: Clock, sendPing: () => void, onDead: () => void, pingTimeout: number | undefined, wakeSources = defaultWakeSources()) {
    this.#clock = clock;
    this.#sendPing = sendPing;
    this.#onDead = onDead;
    this.#pingTimeout = pingTimeout;
    this.#wakeSources = wakeSources;
  }

  /** Starts watching a fresh connection; `seconds` 0 disables keepalive. */
  start(seconds: number): void {
    this.stop();
    this.#intervalMs = seconds * 1000;
    if (this.#intervalMs === 0) return;
    this.#timeoutMs = this.#pingTimeout ?? Math.min(this.#intervalMs / 2, 30_000);
    this.#lastSent = this.#lastReceived = this.#clock.now();
    this.#pingSentAt = undefined;
    for (const source of this.#wakeSources) {
      source.addEventListener('visibilitychange', this.#onWake);
      source.addEventListener('online', this.#onWake);
    }
    this.#schedule();
  }

  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#intervalMs === 0) return;
    this.#intervalMs = 0;
    for (const source of this.#wakeSources) {
      source.removeEventListener('visibilitychange', this.#onWake);
      source.removeEventListener('online', this.#onWake);
    }
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
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
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
