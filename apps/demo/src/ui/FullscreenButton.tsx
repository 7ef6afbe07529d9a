import { useEffect, useState, type ReactNode } from 'react';

/** Kiosk only: browsers allow full screen only from a user gesture, so the wall tablet gets one big button. */
export function FullscreenButton(): ReactNode {
  const [active, setActive] = useState(() => document.fullscreenElement !== null);
  useEffect(() => {
    const onChange = () => setActive(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  if (!document.fullscreenEnabled) return null;
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={active ? 'Leave full screen' : 'Full screen'}
      onClick={() => void (active ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => undefined)}
    >
      <span aria-hidden="true">{active ? '⤡' : '⤢'}</span>
    </button>
  );
}
