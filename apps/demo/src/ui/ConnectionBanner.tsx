/** The connection at a glance: status, the reconnect countdown, and how many commands wait in the offline queue. */
import type { ReactNode } from 'react';
import { useMqttStatus } from '@mqttkit/react';
import { useNow } from './use-now.ts';

const LABELS = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  offline: 'No network',
  closed: 'Disconnected',
} as const;

export function ConnectionBanner({ url }: { url: string }): ReactNode {
  const { status, attempt, nextRetryAt, queued, error } = useMqttStatus();
  const waiting = status === 'reconnecting' && nextRetryAt !== undefined;
  const now = useNow(250, waiting);
  let detail = '';
  if (waiting) {
    const seconds = Math.max(0, Math.ceil((nextRetryAt - now) / 1000));
    detail = seconds > 0 ? `retry in ${seconds} s (attempt ${attempt})` : `trying again (attempt ${attempt})`;
  } else if (status === 'connected') {
    detail = url.replace(/^wss?:\/\//, '');
  } else if (status === 'reconnecting') {
    detail = `attempt ${attempt}`;
  }
  return (
    <div className={`banner banner--${status}`} role="status" aria-live="polite" data-status={status} title={error?.message}>
      <span className="banner__dot" aria-hidden="true" />
      <span className="banner__label">{LABELS[status]}</span>
      {detail && <span className="banner__detail">{detail}</span>}
      {queued > 0 && (
        // While connected the count is publishes awaiting their acknowledgement; otherwise the offline queue.
        <span className="banner__queued" data-testid="queued">
          {queued} {status === 'connected' ? 'sending' : 'queued'}
        </span>
      )}
    </div>
  );
}
