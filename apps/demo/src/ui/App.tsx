/** The dashboard shell: top bar (connection, views, theme), then the home view or the topic explorer. */
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useMqttStatus } from '@mqttkit/react';
import type { DashboardConfig } from '../config.ts';
import { ActivityLogContext, createActivityLog } from './activity-log.ts';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { FullscreenButton } from './FullscreenButton.tsx';
import { EventLog, EventLogFeed } from './event-log.tsx';
import { Rooms } from './Rooms.tsx';
import { useTheme } from './theme.ts';
import { useHashView } from './use-hash-view.ts';
import { KioskContext } from './kiosk.ts';
import { useWakeLock } from './use-wake-lock.ts';

// Loaded after the cards: uPlot and the explorer are not needed for the first live values.
const Charts = lazy(() => import('./charts/Charts.tsx').then((module) => ({ default: module.Charts })));
const TopicExplorer = lazy(() => import('./explorer/TopicExplorer.tsx').then((module) => ({ default: module.TopicExplorer })));

export function App({ config }: { config: DashboardConfig }): ReactNode {
  const [log] = useState(() => createActivityLog(100));
  const [theme, toggleTheme] = useTheme();
  const view = useHashView();
  useWakeLock(config.kiosk);
  const chartsDue = useAfterConnect();
  return (
    <ActivityLogContext.Provider value={log}>
      <KioskContext.Provider value={config.kiosk}>
        <EventLogFeed />
        <div className={`app ${config.kiosk ? 'app--kiosk' : ''}`}>
          <header className="topbar">
            <h1 className="brand">
              mqttkit <span className="brand__sub">home</span>
            </h1>
            <ConnectionBanner url={config.brokerUrl} />
            <nav className="views" aria-label="Views">
              <a href="#/" className="views__link" aria-current={view === 'home' ? 'page' : undefined}>
                Home
              </a>
              <a href="#/topics" className="views__link" aria-current={view === 'topics' ? 'page' : undefined}>
                Topics
              </a>
            </nav>
            {config.kiosk && <FullscreenButton />}
            <button type="button" className="icon-button" onClick={toggleTheme} aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}>
              <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
            </button>
          </header>
          <main className="main">
            {view === 'home' ? (
              <div className="home">
                <Rooms />
                <div className="home__side">
                  <Suspense fallback={<div className="charts charts--loading" />}>
                    {chartsDue ? <Charts theme={theme} /> : <div className="charts charts--loading" />}
                  </Suspense>
                  <EventLog limit={config.kiosk ? 12 : 50} />
                </div>
              </div>
            ) : (
              <Suspense fallback={<p className="log__empty">Loading the topic explorer…</p>}>
                <TopicExplorer />
              </Suspense>
            )}
          </main>
        </div>
      </KioskContext.Provider>
    </ActivityLogContext.Provider>
  );
}

/**
 * True once the client has connected and the browser has had an idle moment: the charts' chunk (uPlot) is fetched
 * and parsed then, not while the first live values are on their way.
 */
function useAfterConnect(): boolean {
  const connected = useMqttStatus().status === 'connected';
  const [due, setDue] = useState(false);
  useEffect(() => {
    if (!connected || due) return;
    const idle = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 50));
    const cancel = window.cancelIdleCallback ?? clearTimeout;
    const handle = idle(() => setDue(true), { timeout: 500 });
    return () => cancel(handle as number);
  }, [connected, due]);
  return due;
}
