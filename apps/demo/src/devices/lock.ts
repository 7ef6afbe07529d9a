import { accepted, isRecord, refused, type DeviceModel } from './types.ts';

/**
 * A motorised door lock. A command only starts the bolt moving: the state says `locking`/`unlocking` until the
 * bolt arrives, so a dashboard must wait for `locked`/`unlocked` before it shows the command as confirmed.
 */
export interface LockState {
  state: 'locked' | 'unlocked' | 'locking' | 'unlocking';
  /** Milliseconds of bolt travel left while moving, 0 at rest. */
  travelMs: number;
  /** Percent. */
  battery: number;
}

export interface LockCommand {
  action: 'lock' | 'unlock';
}

/** How long the bolt takes to move. */
export const LOCK_TRAVEL_MS = 1500;
/** Battery percent used per full movement. */
const BATTERY_PER_MOVE = 0.05;

export const lock: DeviceModel<LockState> = {
  initial: () => ({ state: 'unlocked', travelMs: 0, battery: 87 }),

  command(state, input) {
    if (!isRecord(input) || (input.action !== 'lock' && input.action !== 'unlock')) {
      return refused('expected {"action":"lock"} or {"action":"unlock"}');
    }
    const target = input.action === 'lock' ? 'locked' : 'unlocked';
    const moving = input.action === 'lock' ? 'locking' : 'unlocking';
    // Already there (or already heading there): nothing moves, but confirm by republishing.
    if (state.state === target || state.state === moving) return accepted(state);
    return accepted({ ...state, state: moving, travelMs: LOCK_TRAVEL_MS });
  },

  tick(state, ms) {
    if (state.state !== 'locking' && state.state !== 'unlocking') return { state, events: [] };
    const travelMs = Math.max(0, state.travelMs - ms);
    if (travelMs > 0) return { state: { ...state, travelMs }, events: [] };
    const arrived = state.state === 'locking' ? 'locked' : 'unlocked';
    const battery = Math.max(0, Math.round((state.battery - BATTERY_PER_MOVE) * 100) / 100);
    return { state: { state: arrived, travelMs: 0, battery }, events: [{ type: arrived }] };
  },

  power: (state) => (state.travelMs > 0 ? 4 : 0),
};
