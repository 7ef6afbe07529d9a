/**
 * The shape every simulated device model shares. Models are pure: state in, state out, with time and randomness
 * passed in, so the simulator can run them on a timer and the tests can run them step by step.
 */

/** What a device may read from the world on each tick. */
export interface TickEnv {
  /** Milliseconds since the epoch, for timestamps in state and events. */
  now: number;
  /** Uniform in [0, 1); injected so tests are deterministic. */
  random(): number;
  /** Watts drawn by the rest of the house (only the power meter reads it). */
  houseLoad: number;
}

/** Something that happened, published (not retained) on `<device>/events`. */
export interface DeviceEvent {
  type: string;
  [field: string]: string | number | boolean | null;
}

export interface Outcome<S> {
  state: S;
  events: DeviceEvent[];
}

/** A command from `/set` either changes the state or is refused with a reason. */
export type CommandOutcome<S> = (Outcome<S> & { ok: true }) | { ok: false; error: string };

export interface DeviceModel<S> {
  /** The state a device starts in. */
  initial(): S;
  /** Applies one JSON command received on `/set`. */
  command(state: S, input: unknown): CommandOutcome<S>;
  /** Advances the device by `ms` of simulated time. */
  tick(state: S, ms: number, env: TickEnv): Outcome<S>;
  /** Watts drawn in this state, summed by the power meter. */
  power(state: S): number;
}

export function accepted<S>(state: S, events: DeviceEvent[] = []): CommandOutcome<S> {
  return { ok: true, state, events };
}

export function refused<S>(error: string): CommandOutcome<S> {
  return { ok: false, error };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rounds to `digits` decimals, so published values stay readable and stable. */
export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
