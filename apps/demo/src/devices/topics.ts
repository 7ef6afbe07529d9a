/**
 * The topic layout every device and the dashboard agree on:
 *
 *   myhome/<room>/<device>/state         retained JSON, the device's confirmed state
 *   myhome/<room>/<device>/set           JSON commands to the device
 *   myhome/<room>/<device>/availability  retained "online" / "offline" (the will)
 *   myhome/<room>/<device>/events        JSON events, not retained
 */
export const HOME_ROOT = 'myhome';

export interface DeviceTopics {
  base: string;
  state: string;
  set: string;
  availability: string;
  events: string;
}

export function deviceTopics(room: string, device: string): DeviceTopics {
  const base = `${HOME_ROOT}/${room}/${device}`;
  return { base, state: `${base}/state`, set: `${base}/set`, availability: `${base}/availability`, events: `${base}/events` };
}

/** Filters the dashboard subscribes to. */
export const FILTERS = {
  states: `${HOME_ROOT}/+/+/state`,
  availability: `${HOME_ROOT}/+/+/availability`,
  events: `${HOME_ROOT}/+/+/events`,
  everything: '#',
} as const;

export type Availability = 'online' | 'offline';

/** Splits `myhome/<room>/<device>/<leaf>` into its parts, or undefined for any other topic. */
export function parseDeviceTopic(topic: string): { room: string; device: string; leaf: string } | undefined {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== HOME_ROOT) return undefined;
  const [, room, device, leaf] = parts as [string, string, string, string];
  return { room, device, leaf };
}
