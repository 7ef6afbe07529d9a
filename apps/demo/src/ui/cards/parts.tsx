/** Small pieces every card uses: the command status line, a debounced slider, a placeholder while waiting. */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { CommandState } from '../use-command.ts';

/** One line under the controls, always the same height so the card never reflows. */
export function CommandStatus({ command }: { command: Pick<CommandState<unknown>, 'pending' | 'queued' | 'error'> }): ReactNode {
  let text = '';
  let tone = '';
  if (command.error) {
    text = command.error;
    tone = 'error';
  } else if (command.queued) {
    text = 'Queued until reconnected';
    tone = 'queued';
  } else if (command.pending) {
    text = 'Waiting for the device…';
    tone = 'pending';
  }
  return (
    <p className={`card__status ${tone && `card__status--${tone}`}`} role="status" data-testid="command-status" data-command-state={tone || 'idle'}>
      {text}
    </p>
  );
}

export function Waiting(): ReactNode {
  return <p className="card__waiting">Waiting for state…</p>;
}

interface SliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  unit: string;
  /** Called once the user stops moving the slider for a moment, not on every pixel. */
  onCommit(value: number): void;
}

const COMMIT_DELAY_MS = 250;

export function Slider({ label, value, min, max, step = 1, unit, onCommit }: SliderProps): ReactNode {
  const id = useId();
  const [draft, setDraft] = useState<number>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const shown = draft ?? value;
  return (
    <div className="slider">
      <label htmlFor={id}>
        {label} <output htmlFor={id}>{shown} {unit}</output>
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={shown}
        onChange={(event) => {
          const next = Number(event.target.value);
          setDraft(next);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => {
            setDraft(undefined);
            onCommit(next);
          }, COMMIT_DELAY_MS);
        }}
      />
    </div>
  );
}
