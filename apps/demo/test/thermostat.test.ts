import { describe, expect, it } from 'vitest';
import { thermostat, type ThermostatState } from '../src/devices/thermostat.ts';
import { acceptedState, env, refusal } from './helpers.ts';

function run(state: ThermostatState, seconds: number): ThermostatState {
  let current = state;
  for (let i = 0; i < seconds; i++) current = thermostat.tick(current, 1000, env()).state;
  return current;
}

describe('thermostat model', () => {
  it('heats toward a raised setpoint and stops heating once there', () => {
    const cold = acceptedState(thermostat.command(thermostat.initial(), { setpoint: 22 }));
    expect(cold.heating).toBe(true);
    const later = run(cold, 60);
    expect(later.temperature).toBeGreaterThan(cold.temperature + 0.5);
    const warm = run(cold, 600);
    expect(warm.temperature).toBeGreaterThanOrEqual(21.6);
    expect(warm.temperature).toBeLessThan(22.2);
  });

  it('cools toward the outside when off and does not heat', () => {
    const off = acceptedState(thermostat.command(thermostat.initial(), { mode: 'off' }));
    const later = run(off, 120);
    expect(later.heating).toBe(false);
    expect(later.temperature).toBeLessThan(off.temperature);
    expect(thermostat.power(later)).toBe(0);
  });

  it('holds the heater on inside the hysteresis band until the setpoint is reached', () => {
    const state: ThermostatState = { temperature: 20.9, humidity: 45, setpoint: 21, mode: 'heat', heating: true };
    expect(thermostat.tick(state, 1000, env()).state.heating).toBe(true);
    expect(thermostat.tick({ ...state, heating: false }, 1000, env()).state.heating).toBe(false);
  });

  it('rounds the setpoint to half degrees and refuses values out of range', () => {
    expect(acceptedState(thermostat.command(thermostat.initial(), { setpoint: 21.3 })).setpoint).toBe(21.5);
    expect(refusal(thermostat.command(thermostat.initial(), { setpoint: 40 }))).toMatch(/setpoint must be 5-30/);
    expect(refusal(thermostat.command(thermostat.initial(), { mode: 'cool' }))).toMatch(/mode/);
  });

  it('reports new temperature and humidity readings every second, humidity kept within bounds', () => {
    const state = thermostat.initial();
    const next = thermostat.tick(state, 1000, env({ randomValue: 0.99 })).state;
    expect(next).not.toBe(state);
    let humid = { ...state, humidity: 64.9 };
    for (let i = 0; i < 10; i++) humid = thermostat.tick(humid, 1000, env({ randomValue: 0.99 })).state;
    expect(humid.humidity).toBeLessThanOrEqual(65);
  });

  it('draws the heater power only while heating', () => {
    expect(thermostat.power({ ...thermostat.initial(), heating: true })).toBe(1500);
  });
});
