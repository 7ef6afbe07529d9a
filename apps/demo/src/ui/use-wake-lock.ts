import { useEffect } from 'react';

/**
 * Keeps a wall tablet's screen on where the browser allows it (Screen Wake Lock API). The lock is dropped when the
 * page is hidden, so it is requested again whenever the page becomes visible.
 */
export function useWakeLock(enabled: boolean): void {
  useEffect(() => {
    if (!enabled || !('wakeLock' in navigator)) return;
    let sentinel: WakeLockSentinel | undefined;
    let cancelled = false;
    const request = () => {
      if (document.visibilityState !== 'visible') return;
      navigator.wakeLock.request('screen').then(
        (lock) => {
          if (cancelled) void lock.release();
          else sentinel = lock;
        },
        () => undefined, // refused (battery saver, no permission): the kiosk still works, the screen may sleep
      );
    };
    request();
    document.addEventListener('visibilitychange', request);
    return () => {
      cancelled = true;
      document.removeEventListener('visibilitychange', request);
      void sentinel?.release();
    };
  }, [enabled]);
}
