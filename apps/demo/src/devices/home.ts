/** The simulated home: which devices sit in which room. The simulator and the dashboard both read this list. */
import { contact, type ContactState } from './contact.ts';
import { dishwasher, type DishwasherState } from './dishwasher.ts';
import { light, type LightState } from './light.ts';
import { lock, type LockState } from './lock.ts';
import { motion, type MotionState } from './motion.ts';
import { powerMeter, type PowerMeterState } from './power-meter.ts';
import { thermostat, type ThermostatState } from './thermostat.ts';
import { deviceTopics, type DeviceTopics } from './topics.ts';
import type { DeviceModel } from './types.ts';

/** Each kind's state type, so a card can be typed by its kind. */
export interface DeviceStates {
  light: LightState;
  thermostat: ThermostatState;
  motion: MotionState;
  contact: ContactState;
  lock: LockState;
  powerMeter: PowerMeterState;
  dishwasher: DishwasherState;
}
export type DeviceKind = keyof DeviceStates;

export const MODELS: { [K in DeviceKind]: DeviceModel<DeviceStates[K]> } = {
  light,
  thermostat,
  motion,
  contact,
  lock,
  powerMeter,
  dishwasher,
};

/** How often the simulator advances each kind: the lock fast enough to show its bolt moving. */
export const TICK_MS: Record<DeviceKind, number> = {
  light: 1000,
  thermostat: 1000,
  motion: 1000,
  contact: 1000,
  lock: 250,
  powerMeter: 1000,
  dishwasher: 1000,
};

/** Commands to the lock go at QoS 2: a door must not unlock twice or stay unlocked because a command was lost. */
export const COMMAND_QOS: Record<DeviceKind, 1 | 2> = {
  light: 1,
  thermostat: 1,
  motion: 1,
  contact: 1,
  lock: 2,
  powerMeter: 1,
  dishwasher: 1,
};

export interface DeviceSpec<K extends DeviceKind = DeviceKind> {
  /** `<room>/<device>`, unique. */
  id: string;
  room: string;
  device: string;
  kind: K;
  /** What a person calls it. */
  name: string;
  topics: DeviceTopics;
}

export interface RoomSpec {
  id: string;
  name: string;
}

export const ROOMS: RoomSpec[] = [
  { id: 'living', name: 'Living room' },
  { id: 'kitchen', name: 'Kitchen' },
  { id: 'bedroom', name: 'Bedroom' },
  { id: 'hall', name: 'Hall' },
  { id: 'utility', name: 'Utility' },
];

function spec<K extends DeviceKind>(room: string, device: string, kind: K, name: string): DeviceSpec<K> {
  return { id: `${room}/${device}`, room, device, kind, name, topics: deviceTopics(room, device) };
}

export const DEVICES: DeviceSpec[] = [
  spec('living', 'ceiling-light', 'light', 'Ceiling light'),
  spec('living', 'floor-lamp', 'light', 'Floor lamp'),
  spec('living', 'thermostat', 'thermostat', 'Thermostat'),
  spec('living', 'motion', 'motion', 'Motion'),
  spec('kitchen', 'ceiling-light', 'light', 'Ceiling light'),
  spec('kitchen', 'smartdishwasher', 'dishwasher', 'Dishwasher'),
  spec('bedroom', 'bedside-lamp', 'light', 'Bedside lamp'),
  spec('bedroom', 'thermostat', 'thermostat', 'Thermostat'),
  spec('bedroom', 'window', 'contact', 'Window'),
  spec('hall', 'front-door-lock', 'lock', 'Front door lock'),
  spec('hall', 'front-door', 'contact', 'Front door'),
  spec('hall', 'motion', 'motion', 'Motion'),
  spec('utility', 'power-meter', 'powerMeter', 'Power meter'),
];

export function deviceById(id: string): DeviceSpec | undefined {
  return DEVICES.find((device) => device.id === id);
}

/** "Hall · Motion" for `hall/motion`; the id itself for a device not in this home. */
export function deviceLabel(id: string): string {
  const device = deviceById(id);
  if (!device) return id;
  const room = ROOMS.find((candidate) => candidate.id === device.room);
  return `${room?.name ?? device.room} · ${device.name}`;
}
