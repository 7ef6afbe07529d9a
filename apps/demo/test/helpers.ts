import type { CommandOutcome, TickEnv } from '../src/devices/types.ts';

/** A tick environment with a fixed random value, so a test decides whether chance events happen. */
export function env(overrides: Partial<TickEnv> & { randomValue?: number } = {}): TickEnv {
  const { randomValue = 0.5, ...rest } = overrides;
  return { now: 1_700_000_000_000, random: () => randomValue, houseLoad: 0, ...rest };
}

/** The state of an accepted command; fails the test with the device's reason otherwise. */
export function acceptedState<S>(outcome: CommandOutcome<S>): S {
  if (!outcome.ok) throw new Error(`command refused: ${outcome.error}`);
  return outcome.state;
}

export function refusal<S>(outcome: CommandOutcome<S>): string {
  if (outcome.ok) throw new Error('command was accepted but should have been refused');
  return outcome.error;
}
