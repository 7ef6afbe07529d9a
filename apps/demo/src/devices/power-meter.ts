import { refused, type DeviceModel } from './types.ts';

/** The house's electricity meter: the power drawn by every simulated device plus a base load. */
export interface PowerMeterState {
  /** Watts, whole. */
  power: number;
  /** kWh since the meter started (unrounded: rounding every second would drift; the dashboard rounds). */
  energy: number;
}

/** Fridge, router, standby: what the house draws with everything off. */
export const BASE_LOAD_WATTS = 140;

export const powerMeter: DeviceModel<PowerMeterState> = {
  initial: () => ({ power: BASE_LOAD_WATTS, energy: 0 }),

  command: () => refused('a power meter takes no commands'),

  tick(state, ms, env) {
    // ±15 W of noise: appliances never draw a perfectly flat load.
    const power = Math.max(0, Math.round(BASE_LOAD_WATTS + env.houseLoad + (env.random() - 0.5) * 30));
    const energy = state.energy + (power * ms) / 3_600_000_000;
    return { state: { power, energy }, events: [] };
  },

  power: () => 0,
};
