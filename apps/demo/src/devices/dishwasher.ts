import { accepted, isRecord, refused, type DeviceEvent, type DeviceModel } from './types.ts';

/**
 * The smart dishwasher at `myhome/kitchen/smartdishwasher`: pick a program, start it with the door closed, watch the
 * remaining time count down through its phases. Opening the door pauses it; it announces when it has finished.
 */
export type DishwasherProgram = 'quick' | 'eco' | 'intensive';
export type DishwasherPhase = 'prewash' | 'wash' | 'rinse' | 'dry';

export interface DishwasherState {
  status: 'idle' | 'running' | 'paused' | 'finished';
  program: DishwasherProgram;
  phase: DishwasherPhase | null;
  /** Seconds left in the program (whole seconds). */
  remaining: number;
  door: 'open' | 'closed';
}

export type DishwasherCommand =
  | { action: 'start'; program?: DishwasherProgram }
  | { action: 'pause' | 'resume' | 'cancel' }
  | { program: DishwasherProgram }
  | { door: 'open' | 'closed' };

/** Program lengths in seconds. Demo time: short enough to watch one finish. */
export const PROGRAMS: Record<DishwasherProgram, { duration: number; label: string }> = {
  quick: { duration: 90, label: 'Quick 30°' },
  eco: { duration: 240, label: 'Eco 45°' },
  intensive: { duration: 360, label: 'Intensive 65°' },
};

/** Share of the program spent in each phase, in order. */
const PHASES: readonly [DishwasherPhase, number][] = [['prewash', 0.1], ['wash', 0.45], ['rinse', 0.25], ['dry', 0.2]];
const HEATING_WATTS = 1900;
const PUMP_WATTS = 120;

function isProgram(value: unknown): value is DishwasherProgram {
  return typeof value === 'string' && Object.hasOwn(PROGRAMS, value);
}

/** The phase the program is in with `remaining` seconds left. */
export function phaseAt(program: DishwasherProgram, remaining: number): DishwasherPhase {
  const duration = PROGRAMS[program].duration;
  let left = duration - remaining;
  for (const [phase, share] of PHASES) {
    left -= share * duration;
    if (left < 0) return phase;
  }
  return 'dry';
}

export const dishwasher: DeviceModel<DishwasherState> = {
  initial: () => ({ status: 'idle', program: 'eco', phase: null, remaining: 0, door: 'closed' }),

  command(state, input) {
    if (!isRecord(input)) return refused('expected a JSON object such as {"action":"start","program":"eco"}');
    if ('door' in input) {
      if (input.door !== 'open' && input.door !== 'closed') return refused('door must be "open" or "closed"');
      return setDoor(state, input.door);
    }
    if ('program' in input && !('action' in input)) {
      if (!isProgram(input.program)) return refused(`program must be one of ${Object.keys(PROGRAMS).join(', ')}`);
      if (state.status === 'running' || state.status === 'paused') return refused('cannot change program while one is running');
      return accepted({ ...state, program: input.program });
    }
    switch (input.action) {
      case 'start': {
        const program = input.program ?? state.program;
        if (!isProgram(program)) return refused(`program must be one of ${Object.keys(PROGRAMS).join(', ')}`);
        if (state.status === 'running' || state.status === 'paused') return refused('a program is already running');
        if (state.door === 'open') return refused('close the door first');
        const remaining = PROGRAMS[program].duration;
        return accepted(
          { ...state, status: 'running', program, remaining, phase: phaseAt(program, remaining) },
          [{ type: 'started', program }],
        );
      }
      case 'pause':
        if (state.status !== 'running') return refused('nothing is running');
        return accepted({ ...state, status: 'paused' }, [{ type: 'paused' }]);
      case 'resume':
        if (state.status !== 'paused') return refused('nothing is paused');
        if (state.door === 'open') return refused('close the door first');
        return accepted({ ...state, status: 'running' }, [{ type: 'resumed' }]);
      case 'cancel':
        if (state.status !== 'running' && state.status !== 'paused') return refused('nothing is running');
        return accepted({ ...state, status: 'idle', phase: null, remaining: 0 }, [{ type: 'cancelled' }]);
      default:
        return refused('action must be start, pause, resume or cancel');
    }
  },

  tick(state, ms) {
    if (state.status !== 'running') return { state, events: [] };
    const remaining = Math.max(0, Math.round(state.remaining - ms / 1000));
    if (remaining === 0) {
      return {
        state: { ...state, status: 'finished', phase: null, remaining: 0 },
        events: [{ type: 'finished', program: state.program }],
      };
    }
    return { state: { ...state, remaining, phase: phaseAt(state.program, remaining) }, events: [] };
  },

  power(state) {
    if (state.status !== 'running') return 0;
    return state.phase === 'wash' || state.phase === 'dry' ? HEATING_WATTS : PUMP_WATTS;
  },
};

function setDoor(state: DishwasherState, door: 'open' | 'closed') {
  if (state.door === door) return accepted(state);
  const events: DeviceEvent[] = [{ type: 'door', door }];
  let next: DishwasherState = { ...state, door };
  if (door === 'open' && state.status === 'running') {
    next = { ...next, status: 'paused' };
    events.push({ type: 'paused', reason: 'door opened' });
  }
  // Emptying a finished machine makes it ready for the next load.
  if (door === 'open' && state.status === 'finished') next = { ...next, status: 'idle' };
  return accepted(next, events);
}
