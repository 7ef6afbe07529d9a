/** How values read on a card: short, fixed width where it matters, in the user's locale. */

export function formatTemperature(celsius: number): string {
  return `${celsius.toFixed(1)} °C`;
}

/** 754 → "12:34"; 3725 → "1:02:05". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago". */
export function formatAgo(epochMs: number | null, now: number): string {
  if (epochMs === null) return 'never';
  const seconds = Math.max(0, Math.round((now - epochMs) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

export function formatPower(watts: number): string {
  return watts >= 1000 ? `${(watts / 1000).toFixed(2)} kW` : `${Math.round(watts)} W`;
}

export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A payload as text for display: UTF-8 when it decodes, hex bytes otherwise, cut to `max` characters. */
export function formatPayload(payload: Uint8Array, max = 120): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    text = Array.from(payload.subarray(0, max / 3), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
