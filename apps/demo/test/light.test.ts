import { describe, expect, it } from 'vitest';
import { light } from '../src/devices/light.ts';
import { acceptedState, env, refusal } from './helpers.ts';

describe('light model', () => {
  it('starts off and turns on with {"on":true}', () => {
    const state = light.initial();
    expect(state.on).toBe(false);
    expect(acceptedState(light.command(state, { on: true })).on).toBe(true);
  });

  it('toggles', () => {
    const on = acceptedState(light.command(light.initial(), { toggle: true }));
    expect(on.on).toBe(true);
    expect(acceptedState(light.command(on, { toggle: true })).on).toBe(false);
  });

  it('sets brightness and colour temperature, rounded, leaving other fields alone', () => {
    const state = acceptedState(light.command(light.initial(), { brightness: 42.4, colorTemp: 4000.6 }));
    expect(state).toEqual({ on: false, brightness: 42, colorTemp: 4001 });
  });

  it('refuses out-of-range or mistyped values with a reason and leaves the state unchanged', () => {
    const state = light.initial();
    expect(refusal(light.command(state, { brightness: 0 }))).toMatch(/brightness/);
    expect(refusal(light.command(state, { colorTemp: 9000 }))).toMatch(/colorTemp/);
    expect(refusal(light.command(state, { on: 'yes' }))).toMatch(/on must be/);
    expect(refusal(light.command(state, 'on'))).toMatch(/JSON object/);
    expect(state).toEqual(light.initial());
  });

  it('draws power in proportion to brightness only while on', () => {
    const off = light.initial();
    const on = acceptedState(light.command(off, { on: true, brightness: 50 }));
    expect(light.power(off)).toBe(0);
    expect(light.power(on)).toBeCloseTo(6);
    expect(light.tick(on, 1000, env()).state).toBe(on);
  });
});
