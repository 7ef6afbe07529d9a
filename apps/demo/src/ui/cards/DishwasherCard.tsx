import { useId, type ReactNode } from 'react';
import { PROGRAMS, type DishwasherProgram } from '../../devices/dishwasher.ts';
import type { DeviceSpec } from '../../devices/home.ts';
import { formatDuration } from '../format.ts';
import { useCommand } from '../use-command.ts';
import { useDeviceState } from './device-state.ts';
import { CommandStatus, Waiting } from './parts.tsx';

const STATUS = { idle: 'Ready', running: 'Running', paused: 'Paused', finished: 'Finished' } as const;

export function DishwasherCard({ spec }: { spec: DeviceSpec<'dishwasher'> }): ReactNode {
  const command = useCommand(spec, useDeviceState(spec));
  const selectId = useId();
  const washer = command.view;
  if (!washer) return <Waiting />;
  const busy = washer.status === 'running' || washer.status === 'paused';
  const duration = PROGRAMS[washer.program].duration;
  const done = busy ? Math.round(((duration - washer.remaining) / duration) * 100) : washer.status === 'finished' ? 100 : 0;
  return (
    <>
      <div className="card__row">
        <p className="reading" data-testid="dishwasher-status">
          {STATUS[washer.status]}
          {washer.phase && <span className="reading__sub"> · {washer.phase}</span>}
        </p>
        <p className="reading reading--mono" data-testid="remaining" aria-label={`Remaining ${formatDuration(washer.remaining)}`}>
          {formatDuration(washer.remaining)}
        </p>
      </div>
      <div className="progress" role="progressbar" aria-label="Program progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={done}>
        <div className="progress__bar" style={{ transform: `scaleX(${done / 100})` }} />
      </div>
      <div className="card__row card__row--controls">
        <label className="visually-hidden" htmlFor={selectId}>
          Program
        </label>
        <select
          id={selectId}
          className="select"
          value={washer.program}
          disabled={busy}
          onChange={(event) => {
            const program = event.target.value as DishwasherProgram;
            command.send({ program }, (state) => state.program === program, { program });
          }}
        >
          {Object.entries(PROGRAMS).map(([id, program]) => (
            <option key={id} value={id}>
              {program.label}
            </option>
          ))}
        </select>
        {washer.status === 'running' && (
          <button type="button" className="action" onClick={() => command.send({ action: 'pause' }, (state) => state.status === 'paused')}>
            Pause
          </button>
        )}
        {washer.status === 'paused' && (
          <button type="button" className="action action--primary" onClick={() => command.send({ action: 'resume' }, (state) => state.status === 'running')}>
            Resume
          </button>
        )}
        {busy ? (
          <button type="button" className="action" onClick={() => command.send({ action: 'cancel' }, (state) => state.status === 'idle')}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="action action--primary"
            onClick={() => {
              const program = washer.program;
              command.send({ action: 'start', program }, (state) => state.status === 'running' && state.program === program);
            }}
          >
            Start
          </button>
        )}
        <button
          type="button"
          className="action card__extra"
          onClick={() => {
            const door = washer.door === 'open' ? 'closed' : 'open';
            command.send({ door }, (state) => state.door === door);
          }}
        >
          {washer.door === 'open' ? 'Close door' : 'Open door'}
        </button>
      </div>
      <CommandStatus command={command} />
    </>
  );
}
