/**
 * Sending a command to a device and waiting for it to confirm. The card shows the requested value at once
 * (optimistic), "pending" until the device's retained state matches, "queued" while the dashboard is offline, and
 * an error when the device refuses or does not confirm in time. A late confirmation still clears the error.
 */
import { useCallback, useEffect, useState } from 'react';
import { useMqttStatus, useMqttSubscription, usePublish } from '@mqttkit/react';
import { COMMAND_QOS, type DeviceKind, type DeviceSpec, type DeviceStates } from '../devices/home.ts';
import { useActivityLog } from './activity-log.ts';

/** How long a connected device may take before the card says it has not confirmed. */
export const CONFIRM_TIMEOUT_MS = 5000;

interface Pending<S> {
  command: object;
  confirmed: (state: S) => boolean;
  optimistic: Partial<S> | undefined;
}

export interface CommandState<S> {
  /** The device's state with the pending command's requested values laid over it. */
  view: S | undefined;
  /** A command is waiting for the device's confirmation. */
  pending: boolean;
  /** The command sits in the client's offline queue. */
  queued: boolean;
  error: string | undefined;
  /**
   * Publishes `command` on the device's `/set` topic; `confirmed` says which state acknowledges it;
   * `optimistic` is what to show meanwhile.
   */
  send(command: object, confirmed: (state: S) => boolean, optimistic?: Partial<S>): void;
}

const decoder = new TextDecoder();

export function useCommand<K extends DeviceKind>(spec: DeviceSpec<K>, state: DeviceStates[K] | undefined): CommandState<DeviceStates[K]> {
  type S = DeviceStates[K];
  const { publish } = usePublish();
  const { status } = useMqttStatus();
  const log = useActivityLog();
  const [pending, setPending] = useState<Pending<S>>();
  const [error, setError] = useState<string>();

  // Confirmed: the device's state now says what was asked.
  useEffect(() => {
    if (pending && state !== undefined && pending.confirmed(state)) {
      setPending(undefined);
      setError(undefined);
    }
  }, [pending, state]);

  // Not confirmed in time, counted only while connected (a queued command is not late).
  useEffect(() => {
    if (!pending || status !== 'connected') return;
    const timer = setTimeout(() => setError(`${spec.name} did not confirm within ${CONFIRM_TIMEOUT_MS / 1000} s`), CONFIRM_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [pending, status, spec.name]);

  // Refused: the device says why on its events topic.
  useMqttSubscription(spec.topics.events, (message) => {
    if (!pending) return;
    try {
      const event = JSON.parse(decoder.decode(message.payload)) as { type?: string; reason?: string };
      if (event.type === 'rejected') {
        setPending(undefined);
        setError(`Refused: ${event.reason ?? 'no reason given'}`);
      }
    } catch {
      // Not JSON: not an event this dashboard understands.
    }
  }, { qos: 1 });

  const send = useCallback(
    (command: object, confirmed: (state: S) => boolean, optimistic?: Partial<S>) => {
      setPending({ command, confirmed, optimistic });
      setError(undefined);
      const payload = JSON.stringify(command);
      log.add({ source: spec.id, text: `sent ${payload}`, tone: 'command' });
      publish(spec.topics.set, payload, { qos: COMMAND_QOS[spec.kind] }).catch((cause: unknown) => {
        setPending(undefined);
        setError(`Not sent: ${cause instanceof Error ? cause.message : String(cause)}`);
      });
    },
    [publish, log, spec],
  );

  const view = state !== undefined && pending?.optimistic ? { ...state, ...pending.optimistic } : state;
  return { view, pending: pending !== undefined, queued: pending !== undefined && status !== 'connected', error, send };
}
