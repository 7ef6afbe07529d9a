import { describe, expect, it } from 'vitest';
import { dishwasher, phaseAt, PROGRAMS, type DishwasherState } from '../src/devices/dishwasher.ts';
import type { DeviceEvent } from '../src/devices/types.ts';
import { acceptedState, env, refusal } from './helpers.ts';

function runSeconds(state: DishwasherState, seconds: number): { state: DishwasherState; events: DeviceEvent[] } {
  const events: DeviceEvent[] = [];
  let current = state;
  for (let i = 0; i < seconds; i++) {
    const outcome = dishwasher.tick(current, 1000, env());
    current = outcome.state;
    events.push(...outcome.events);
  }
  return { state: current, events };
}

describe('smart dishwasher model', () => {
  it('starts a program with the full remaining time and announces it', () => {
    const outcome = dishwasher.command(dishwasher.initial(), { action: 'start', program: 'quick' });
    expect(outcome.ok && outcome.events).toEqual([{ type: 'started', program: 'quick' }]);
    const state = acceptedState(outcome);
    expect(state).toMatchObject({ status: 'running', program: 'quick', remaining: PROGRAMS.quick.duration, phase: 'prewash' });
  });

  it('counts the remaining time down one second per second through its phases', () => {
    const running = acceptedState(dishwasher.command(dishwasher.initial(), { action: 'start', program: 'eco' }));
    const later = runSeconds(running, 30).state;
    expect(later.remaining).toBe(PROGRAMS.eco.duration - 30);
    expect(later.phase).toBe('wash');
  });

  it('finishes with a "finished" event, and opening the door makes it idle again', () => {
    const running = acceptedState(dishwasher.command(dishwasher.initial(), { action: 'start', program: 'quick' }));
    const done = runSeconds(running, PROGRAMS.quick.duration);
    expect(done.state).toMatchObject({ status: 'finished', remaining: 0, phase: null });
    expect(done.events).toEqual([{ type: 'finished', program: 'quick' }]);
    const opened = dishwasher.command(done.state, { door: 'open' });
    expect(acceptedState(opened).status).toBe('idle');
    expect(opened.ok && opened.events).toEqual([{ type: 'door', door: 'open' }]);
  });

  it('pauses when the door opens mid-program and resumes only once it is closed', () => {
    const running = acceptedState(dishwasher.command(dishwasher.initial(), { action: 'start' }));
    const opened = acceptedState(dishwasher.command(running, { door: 'open' }));
    expect(opened.status).toBe('paused');
    expect(runSeconds(opened, 10).state.remaining).toBe(running.remaining);
    expect(refusal(dishwasher.command(opened, { action: 'resume' }))).toMatch(/close the door/);
    const closed = acceptedState(dishwasher.command(opened, { door: 'closed' }));
    expect(acceptedState(dishwasher.command(closed, { action: 'resume' })).status).toBe('running');
  });

  it('refuses to start with the door open, twice, or with an unknown program', () => {
    const open = acceptedState(dishwasher.command(dishwasher.initial(), { door: 'open' }));
    expect(refusal(dishwasher.command(open, { action: 'start' }))).toMatch(/close the door/);
    const running = acceptedState(dishwasher.command(dishwasher.initial(), { action: 'start' }));
    expect(refusal(dishwasher.command(running, { action: 'start' }))).toMatch(/already running/);
    expect(refusal(dishwasher.command(dishwasher.initial(), { action: 'start', program: 'turbo' }))).toMatch(/program must be/);
    expect(refusal(dishwasher.command(running, { program: 'quick' }))).toMatch(/while one is running/);
  });

  it('cancels back to idle', () => {
    const running = acceptedState(dishwasher.command(dishwasher.initial(), { action: 'start' }));
    expect(acceptedState(dishwasher.command(running, { action: 'cancel' }))).toMatchObject({ status: 'idle', remaining: 0 });
    expect(refusal(dishwasher.command(dishwasher.initial(), { action: 'cancel' }))).toMatch(/nothing is running/);
  });

  it('selects a program while idle', () => {
    expect(acceptedState(dishwasher.command(dishwasher.initial(), { program: 'intensive' })).program).toBe('intensive');
  });

  it('maps remaining time to phases in order', () => {
    const duration = PROGRAMS.eco.duration;
    expect(phaseAt('eco', duration)).toBe('prewash');
    expect(phaseAt('eco', duration * 0.5)).toBe('wash');
    expect(phaseAt('eco', duration * 0.3)).toBe('rinse');
    expect(phaseAt('eco', 1)).toBe('dry');
  });

  it('draws heating power while washing and drying only', () => {
    const running = acceptedState(dishwasher.command(dishwasher.initial(), { action: 'start' }));
    expect(dishwasher.power(running)).toBe(120);
    expect(dishwasher.power({ ...running, phase: 'wash' })).toBe(1900);
    expect(dishwasher.power(dishwasher.initial())).toBe(0);
  });
});
