import { describe, expect, it } from 'vitest';
import { contact } from '../src/devices/contact.ts';
import { MOTION_HOLD_MS, motion } from '../src/devices/motion.ts';
import { BASE_LOAD_WATTS, powerMeter } from '../src/devices/power-meter.ts';
import { env, refusal } from './helpers.ts';

const t0 = 1_700_000_000_000;

describe('motion sensor model', () => {
  it('detects motion by chance, holds it, then clears with an event', () => {
    const detected = motion.tick(motion.initial(), 1000, env({ now: t0, randomValue: 0 }));
    expect(detected.state).toEqual({ motion: true, lastMotion: t0 });
    expect(detected.events).toEqual([{ type: 'motion', detected: true }]);
    const held = motion.tick(detected.state, 1000, env({ now: t0 + MOTION_HOLD_MS - 1, randomValue: 0.99 }));
    expect(held.state.motion).toBe(true);
    const cleared = motion.tick(held.state, 1000, env({ now: t0 + MOTION_HOLD_MS, randomValue: 0.99 }));
    expect(cleared.state).toEqual({ motion: false, lastMotion: t0 });
    expect(cleared.events).toEqual([{ type: 'motion', detected: false }]);
  });

  it('takes no commands', () => {
    expect(refusal(motion.command(motion.initial(), { motion: true }))).toMatch(/no commands/);
  });
});

describe('contact sensor model', () => {
  it('opens and closes by chance with an event each time', () => {
    const opened = contact.tick(contact.initial(), 1000, env({ now: t0, randomValue: 0 }));
    expect(opened.state).toEqual({ open: true, lastChanged: t0 });
    expect(opened.events).toEqual([{ type: 'opened' }]);
    const closed = contact.tick(opened.state, 1000, env({ now: t0 + 1000, randomValue: 0 }));
    expect(closed.state.open).toBe(false);
    expect(contact.tick(closed.state, 1000, env({ randomValue: 0.99 })).state).toBe(closed.state);
  });
});

describe('power meter model', () => {
  it('reads the house load plus the base load and integrates energy', () => {
    let state = powerMeter.initial();
    for (let i = 0; i < 3600; i++) state = powerMeter.tick(state, 1000, env({ houseLoad: 1000 - BASE_LOAD_WATTS })).state;
    expect(state.power).toBe(1000);
    expect(state.energy).toBeCloseTo(1, 3);
  });

  it('never reports negative power', () => {
    expect(powerMeter.tick(powerMeter.initial(), 1000, env({ houseLoad: -1000 })).state.power).toBe(0);
  });
});
