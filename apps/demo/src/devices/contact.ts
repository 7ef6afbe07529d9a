import { refused, type DeviceModel } from './types.ts';

/** A door or window contact sensor. Opens now and then, closes again after a short while. */
export interface ContactState {
  open: boolean;
  /** Epoch ms of the last change, or null if none yet. */
  lastChanged: number | null;
}

export const OPEN_CHANCE_PER_SECOND = 0.01;
export const CLOSE_CHANCE_PER_SECOND = 0.2;

export const contact: DeviceModel<ContactState> = {
  initial: () => ({ open: false, lastChanged: null }),

  command: () => refused('a contact sensor takes no commands'),

  tick(state, ms, env) {
    const chance = (state.open ? CLOSE_CHANCE_PER_SECOND : OPEN_CHANCE_PER_SECOND) * (ms / 1000);
    if (env.random() >= chance) return { state, events: [] };
    const open = !state.open;
    return { state: { open, lastChanged: env.now }, events: [{ type: open ? 'opened' : 'closed' }] };
  },

  power: () => 0,
};
