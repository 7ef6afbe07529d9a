import { accepted, clamp, isRecord, refused, round, type DeviceModel } from './types.ts';

/** A room thermostat driving an electric heater, reporting temperature and humidity every second. */
export interface ThermostatState {
  /** °C, two decimals (the dashboard shows one). */
  temperature: number;
  /** % relative humidity, one decimal. */
  humidity: number;
  /** °C, in steps of 0.5. */
  setpoint: number;
  mode: 'heat' | 'off';
  /** True while the heater is on. */
  heating: boolean;
}

export interface ThermostatCommand {
  setpoint?: number;
  mode?: 'heat' | 'off';
}

export const SETPOINT_RANGE = [5, 30] as const;
/** °C per second while heating, and the fraction of the gap to outside lost per second. */
const HEAT_RATE = 0.03;
const LOSS_RATE = 0.0008;
const OUTSIDE = 8;
/** Hysteresis: heat below setpoint - 0.3, stop at the setpoint. */
const BAND = 0.3;
const HEATER_WATTS = 1500;

export const thermostat: DeviceModel<ThermostatState> = {
  initial: () => ({ temperature: 19.5, humidity: 45, setpoint: 21, mode: 'heat', heating: false }),

  command(state, input) {
    if (!isRecord(input)) return refused('expected a JSON object such as {"setpoint":21}');
    const next = { ...state };
    if ('setpoint' in input) {
      const value = input.setpoint;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < SETPOINT_RANGE[0] || value > SETPOINT_RANGE[1]) {
        return refused(`setpoint must be ${SETPOINT_RANGE[0]}-${SETPOINT_RANGE[1]} °C`);
      }
      next.setpoint = Math.round(value * 2) / 2;
    }
    if ('mode' in input) {
      if (input.mode !== 'heat' && input.mode !== 'off') return refused('mode must be "heat" or "off"');
      next.mode = input.mode;
    }
    next.heating = heaterOn(next, state.heating);
    return accepted(next);
  },

  tick(state, ms, env) {
    const seconds = ms / 1000;
    const heating = heaterOn(state, state.heating);
    let temperature = state.temperature - (state.temperature - OUTSIDE) * LOSS_RATE * seconds;
    if (heating) temperature += HEAT_RATE * seconds;
    // Sensor noise of ±0.02 °C keeps the chart alive without hiding the trend.
    temperature += (env.random() - 0.5) * 0.04;
    const humidity = clamp(state.humidity + (env.random() - 0.5) * 0.4 * seconds, 30, 65);
    const next: ThermostatState = {
      ...state,
      temperature: round(temperature, 2),
      humidity: round(humidity, 1),
      heating,
    };
    next.heating = heaterOn(next, heating);
    return { state: next, events: [] };
  },

  power: (state) => (state.heating ? HEATER_WATTS : 0),
};

/** Bang-bang control with hysteresis, so the heater does not chatter around the setpoint. */
function heaterOn(state: ThermostatState, wasOn: boolean): boolean {
  if (state.mode === 'off') return false;
  if (state.temperature < state.setpoint - BAND) return true;
  if (state.temperature >= state.setpoint) return false;
  return wasOn;
}
