import { describe, expect, it } from 'vitest';
import { LOCK_TRAVEL_MS, lock, type LockState } from '../src/devices/lock.ts';
import { acceptedState, env, refusal } from './helpers.ts';

function advance(state: LockState, ms: number, step = 250): { state: LockState; events: string[] } {
  const events: string[] = [];
  let current = state;
  for (let t = 0; t < ms; t += step) {
    const outcome = lock.tick(current, step, env());
    current = outcome.state;
    events.push(...outcome.events.map((event) => event.type));
  }
  return { state: current, events };
}

describe('front door lock model', () => {
  it('reports "locking" at once and "locked" only after the bolt has travelled', () => {
    const moving = acceptedState(lock.command(lock.initial(), { action: 'lock' }));
    expect(moving.state).toBe('locking');
    expect(advance(moving, LOCK_TRAVEL_MS - 250).state.state).toBe('locking');
    const done = advance(moving, LOCK_TRAVEL_MS);
    expect(done.state.state).toBe('locked');
    expect(done.state.travelMs).toBe(0);
    expect(done.events).toEqual(['locked']);
  });

  it('unlocks the same way', () => {
    const locked: LockState = { state: 'locked', travelMs: 0, battery: 50 };
    const moving = acceptedState(lock.command(locked, { action: 'unlock' }));
    expect(moving.state).toBe('unlocking');
    expect(advance(moving, LOCK_TRAVEL_MS).state.state).toBe('unlocked');
  });

  it('treats a repeated command as confirmation without moving again', () => {
    const locked: LockState = { state: 'locked', travelMs: 0, battery: 50 };
    expect(acceptedState(lock.command(locked, { action: 'lock' }))).toBe(locked);
  });

  it('reverses mid-travel', () => {
    const locking = acceptedState(lock.command(lock.initial(), { action: 'lock' }));
    const reversed = acceptedState(lock.command(advance(locking, 500).state, { action: 'unlock' }));
    expect(reversed.state).toBe('unlocking');
    expect(advance(reversed, LOCK_TRAVEL_MS).state.state).toBe('unlocked');
  });

  it('refuses anything but lock or unlock', () => {
    expect(refusal(lock.command(lock.initial(), { action: 'open' }))).toMatch(/lock/);
    expect(refusal(lock.command(lock.initial(), null))).toMatch(/lock/);
  });

  it('uses a little battery per movement', () => {
    const moved = advance(acceptedState(lock.command(lock.initial(), { action: 'lock' })), LOCK_TRAVEL_MS).state;
    expect(moved.battery).toBeLessThan(lock.initial().battery);
  });
});
