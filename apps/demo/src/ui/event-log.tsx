/** The event log: device events and availability changes as they happen, and the commands this dashboard sent. */
import type { ReactNode } from 'react';
import { useMqttSubscription } from '@mqttkit/react';
import { deviceLabel } from '../devices/home.ts';
import { parseDeviceTopic } from '../devices/topics.ts';
import { useActivityLog, useLogEntries, type LogEntry } from './activity-log.ts';
import { formatClock } from './format.ts';

const decoder = new TextDecoder();

/** Turns a device event into a short sentence; unknown events are shown with their fields. */
export function describeEvent(payload: string): { text: string; tone: LogEntry['tone'] } {
  let event: { type?: string; at?: number; [key: string]: unknown };
  try {
    event = JSON.parse(payload) as typeof event;
  } catch {
    return { text: payload, tone: 'info' };
  }
  const { type, at: _at, ...rest } = event;
  switch (type) {
    case 'rejected':
      return { text: `refused a command: ${String(rest.reason)}`, tone: 'warning' };
    case 'motion':
      return { text: rest.detected ? 'motion detected' : 'motion cleared', tone: 'info' };
    case 'door':
      return { text: `door ${rest.door === 'open' ? 'opened' : 'closed'}`, tone: 'info' };
    case 'started':
    case 'finished':
      return { text: `${type} ${String(rest.program)} program`, tone: 'info' };
    case 'paused':
      return { text: rest.reason ? `paused: ${String(rest.reason)}` : 'paused', tone: 'info' };
  }
  const details = Object.entries(rest)
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ');
  return { text: details ? `${type ?? 'event'} (${details})` : (type ?? 'event'), tone: 'info' };
}

/** Feeds the log from MQTT; mounted once, whichever view is showing. */
export function EventLogFeed(): null {
  const log = useActivityLog();
  useMqttSubscription('myhome/+/+/events', (message) => {
    const parts = parseDeviceTopic(message.topic);
    log.add({ source: parts && `${parts.room}/${parts.device}`, ...describeEvent(decoder.decode(message.payload)) });
  }, { qos: 1 });
  useMqttSubscription('myhome/+/+/availability', (message) => {
    // Retained copies describe the past; log only changes seen live.
    if (message.retain) return;
    const parts = parseDeviceTopic(message.topic);
    const online = decoder.decode(message.payload) === 'online';
    log.add({ source: parts && `${parts.room}/${parts.device}`, text: online ? 'came online' : 'went offline', tone: online ? 'info' : 'error' });
  }, { qos: 1 });
  return null;
}

export function EventLog({ limit = 50 }: { limit?: number }): ReactNode {
  const entries = useLogEntries();
  return (
    <section className="log" aria-labelledby="log-title">
      <h2 id="log-title" className="section-title">
        Event log
      </h2>
      {entries.length === 0 ? (
        <p className="log__empty">Nothing yet: device events and your commands appear here.</p>
      ) : (
        <ol className="log__list" aria-live="polite" aria-relevant="additions">
          {entries.slice(0, limit).map((entry) => (
            <li key={entry.id} className={`log__entry log__entry--${entry.tone}`}>
              <time dateTime={new Date(entry.at).toISOString()}>{formatClock(entry.at)}</time>
              <span className="log__source">{entry.source ? deviceLabel(entry.source) : 'Dashboard'}</span>
              <span className="log__text">{entry.text}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
