import { refused, type DeviceModel } from './types.ts';

/** A passive infrared motion sensor: reports motion, clears after a quiet period. */
export interface MotionState {
  motion: boolean;
  /** Epoch ms of the last detection, or null if none yet. */
  lastMotion: number | null;
}

/** Chance per second that someone walks by, and how long the sensor holds "motion". */
export const MOTION_CHANCE_PER_SECOND = 0.04;
export const MOTION_HOLD_MS = 15_000;

export const motion: DeviceModel<MotionState> = {
  initial: () => ({ motion: false, lastMotion: null }),

  command: () => refused('a motion sensor takes no commands'),

  tick(state, ms, env) {
    if (env.random() < MOTION_CHANCE_PER_SECOND * (ms / 1000)) {
      const events = state.motion ? [] : [{ type: 'motion', detected: true }];
      return { state: { motion: true, lastMotion: env.now }, events };
    }
    if (state.motion && state.lastMotion !== null && env.now - state.lastMotion >= MOTION_HOLD_MS) {
      return { state: { ...state, motion: false }, events: [{ type: 'motion', detected: false }] };
    }
    return { state, events: [] };
  },

  power: () => 0,
};
