/**
 * The dashboard's event log: what devices announced and what the user asked of them. A tiny external store in
 * zustand's shape (subscribe, getSnapshot), bounded so a kiosk running for days keeps constant memory.
 */
import { createContext, useContext, useSyncExternalStore } from 'react';

export interface LogEntry {
  id: number;
  at: number;
  /** Which device, e.g. "kitchen/smartdishwasher"; undefined for the dashboard itself. */
  source: string | undefined;
  text: string;
  tone: 'info' | 'command' | 'warning' | 'error';
}

export interface ActivityLog {
  add(entry: Omit<LogEntry, 'id' | 'at'>): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): readonly LogEntry[];
}

export function createActivityLog(limit = 100, now: () => number = Date.now): ActivityLog {
  let entries: readonly LogEntry[] = [];
  let nextId = 1;
  const listeners = new Set<() => void>();
  return {
    add(entry) {
      // Newest first, and never more than `limit`.
      entries = [{ ...entry, id: nextId++, at: now() }, ...entries].slice(0, limit);
      listeners.forEach((listener) => listener());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => entries,
  };
}

export const ActivityLogContext = createContext<ActivityLog>(createActivityLog());

export function useActivityLog(): ActivityLog {
  return useContext(ActivityLogContext);
}

export function useLogEntries(): readonly LogEntry[] {
  const log = useActivityLog();
  return useSyncExternalStore(log.subscribe, log.getSnapshot, log.getSnapshot);
}
