import type { ReactNode } from 'react';
import type { DeviceSpec } from '../../devices/home.ts';
import { useCommand } from '../use-command.ts';
import { useDeviceState } from './device-state.ts';
import { CommandStatus, Waiting } from './parts.tsx';

const LABELS = { locked: 'Locked', unlocked: 'Unlocked', locking: 'Locking…', unlocking: 'Unlocking…' } as const;

/** The lock shows only what the lock reports: no optimistic "Locked" before the bolt has moved. */
export function LockCard({ spec }: { spec: DeviceSpec<'lock'> }): ReactNode {
  const command = useCommand(spec, useDeviceState(spec));
  const lock = command.view;
  if (!lock) return <Waiting />;
  const wantLocked = lock.state === 'unlocked' || lock.state === 'unlocking';
  return (
    <>
      <div className="card__row">
        <span className={`lock-icon lock-icon--${lock.state}`} aria-hidden="true" />
        <p className="reading" data-testid="lock-state">
          {LABELS[lock.state]}
        </p>
      </div>
      <button
        type="button"
        className={`action ${wantLocked ? 'action--primary' : ''}`}
        onClick={() => {
          const target = wantLocked ? 'locked' : 'unlocked';
          command.send({ action: wantLocked ? 'lock' : 'unlock' }, (state) => state.state === target);
        }}
      >
        {wantLocked ? 'Lock' : 'Unlock'}
      </button>
      <p className="card__meta card__extra">Battery {Math.round(lock.battery)} %</p>
      <CommandStatus command={command} />
    </>
  );
}
