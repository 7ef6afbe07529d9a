import { accepted, isRecord, refused, type DeviceModel } from './types.ts';

/** A dimmable white light with tunable colour temperature. */
export interface LightState {
  on: boolean;
  /** Percent, 1-100. */
  brightness: number;
  /** Kelvin, warm 2200 to cool 6500. */
  colorTemp: number;
}

/** A `/set` command: any subset of the state, or `{ "toggle": true }`. */
export interface LightCommand {
  on?: boolean;
  toggle?: boolean;
  brightness?: number;
  colorTemp?: number;
}

export const LIGHT_LIMITS = { brightness: [1, 100], colorTemp: [2200, 6500] } as const;
/** An LED bulb at full brightness. */
const MAX_WATTS = 12;

function inRange(value: unknown, [min, max]: readonly [number, number]): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

export const light: DeviceModel<LightState> = {
  initial: () => ({ on: false, brightness: 80, colorTemp: 3000 }),

  command(state, input) {
    if (!isRecord(input)) return refused('expected a JSON object such as {"on":true}');
    const next = { ...state };
    if ('toggle' in input) {
      if (input.toggle !== true) return refused('toggle must be true');
      next.on = !state.on;
    }
    if ('on' in input) {
      if (typeof input.on !== 'boolean') return refused('on must be true or false');
      next.on = input.on;
    }
    if ('brightness' in input) {
      if (!inRange(input.brightness, LIGHT_LIMITS.brightness)) return refused('brightness must be 1-100');
      next.brightness = Math.round(input.brightness);
    }
    if ('colorTemp' in input) {
      if (!inRange(input.colorTemp, LIGHT_LIMITS.colorTemp)) return refused('colorTemp must be 2200-6500 K');
      next.colorTemp = Math.round(input.colorTemp);
    }
    return accepted(next);
  },

  tick: (state) => ({ state, events: [] }),

  power: (state) => (state.on ? (MAX_WATTS * state.brightness) / 100 : 0),
};
