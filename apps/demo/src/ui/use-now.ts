import { useSyncExternalStore } from 'react';

/**
 * One shared ticker per interval for every "42 s ago" label and countdown on the page, rather than a timer per
 * card: fewer timer tasks, and every label changes in the same frame.
 */
interface Ticker {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | undefined;
  /** Stable per interval, so React does not resubscribe (and restart the timer) on every render. */
  subscribe: (listener: () => void) => () => void;
}

const tickers = new Map<number, Ticker>();

function tickerFor(intervalMs: number): Ticker {
  let ticker = tickers.get(intervalMs);
  if (!ticker) {
    ticker = { now: Date.now(), listeners: new Set(), timer: undefined, subscribe: (listener) => subscribe(intervalMs, listener) };
    tickers.set(intervalMs, ticker);
  }
  return ticker;
}

function subscribe(intervalMs: number, listener: () => void): () => void {
  const ticker = tickerFor(intervalMs);
  ticker.listeners.add(listener);
  if (ticker.timer === undefined) {
    ticker.now = Date.now();
    ticker.timer = setInterval(() => {
      ticker.now = Date.now();
      ticker.listeners.forEach((notify) => notify());
    }, intervalMs);
  }
  return () => {
    ticker.listeners.delete(listener);
    if (ticker.listeners.size === 0) {
      clearInterval(ticker.timer);
      ticker.timer = undefined;
    }
  };
}

const idle = (): (() => void) => () => undefined;

/** The current time, refreshed every `intervalMs` while `enabled`. */
export function useNow(intervalMs = 1000, enabled = true): number {
  const ticker = tickerFor(intervalMs);
  return useSyncExternalStore(enabled ? ticker.subscribe : idle, () => ticker.now);
}
