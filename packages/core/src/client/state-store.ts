import type { StateStore } from './types.ts';

/** The store plus the setter only the client holds. */
export interface WritableStore<T> extends StateStore<T> {
  /** Merges `patch`; does nothing when every field is `Object.is`-equal, otherwise makes a new snapshot and notifies. */
  set(patch: Partial<T>): void;
}

/**
 * An observable store in zustand's vanilla shape: `getSnapshot`, `subscribe` returning its unsubscribe, an
 * `Object.is` bail-out, and a new snapshot object per change (what `useSyncExternalStore` needs).
 */
export function createStore<T extends object>(initial: T): WritableStore<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    set(patch) {
      let changed = false;
      for (const key in patch) {
        if (!Object.is(patch[key], state[key])) {
          changed = true;
          break;
        }
      }
      if (!changed) return;
      state = { ...state, ...patch };
      for (const listener of [...listeners]) listener();
    },
  };
}
