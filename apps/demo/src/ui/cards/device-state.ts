import { json, useMqttTopic } from '@mqttkit/react';
import type { DeviceKind, DeviceSpec, DeviceStates } from '../../devices/home.ts';
import type { Availability } from '../../devices/topics.ts';

/** The device's confirmed state: its retained JSON on `<device>/state`, re-rendering only when it changes. */
export function useDeviceState<K extends DeviceKind>(spec: DeviceSpec<K>): DeviceStates[K] | undefined {
  return useMqttTopic(spec.topics.state, { parse: json<DeviceStates[K]>, qos: 1 });
}

/** `online` / `offline` from the device's retained availability (its will says offline), undefined before any. */
export function useAvailability(spec: DeviceSpec): Availability | undefined {
  return useMqttTopic(spec.topics.availability, { qos: 1, select: (value: string) => (value === 'online' ? 'online' : 'offline') });
}
