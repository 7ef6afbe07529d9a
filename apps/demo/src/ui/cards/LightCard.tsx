import type { CSSProperties, ReactNode } from 'react';
import type { DeviceSpec } from '../../devices/home.ts';
import { LIGHT_LIMITS } from '../../devices/light.ts';
import { useCommand } from '../use-command.ts';
import { useDeviceState } from './device-state.ts';
import { CommandStatus, Slider, Waiting } from './parts.tsx';

export function LightCard({ spec }: { spec: DeviceSpec<'light'> }): ReactNode {
  const command = useCommand(spec, useDeviceState(spec));
  const light = command.view;
  if (!light) return <Waiting />;
  const warmth = (light.colorTemp - LIGHT_LIMITS.colorTemp[0]) / (LIGHT_LIMITS.colorTemp[1] - LIGHT_LIMITS.colorTemp[0]);
  return (
    <>
      <div className="card__row">
        <span
          className={`bulb ${light.on ? 'bulb--on' : ''}`}
          style={{ '--bulb-level': light.brightness / 100, '--bulb-cool': warmth } as CSSProperties}
          aria-hidden="true"
        />
        <button
          type="button"
          role="switch"
          aria-checked={light.on}
          className="switch"
          aria-label={`${spec.name} power`}
          onClick={() => {
            const on = !light.on;
            command.send({ on }, (state) => state.on === on, { on });
          }}
        >
          <span className="switch__track" aria-hidden="true" />
          <span className="switch__text">{light.on ? 'On' : 'Off'}</span>
        </button>
      </div>
      <Slider
        label="Brightness"
        unit="%"
        min={LIGHT_LIMITS.brightness[0]}
        max={LIGHT_LIMITS.brightness[1]}
        value={light.brightness}
        onCommit={(brightness) => command.send({ brightness }, (state) => state.brightness === brightness, { brightness })}
      />
      <div className="card__extra">
        <Slider
          label="Colour"
          unit="K"
          step={100}
          min={LIGHT_LIMITS.colorTemp[0]}
          max={LIGHT_LIMITS.colorTemp[1]}
          value={light.colorTemp}
          onCommit={(colorTemp) => command.send({ colorTemp }, (state) => state.colorTemp === colorTemp, { colorTemp })}
        />
      </div>
      <CommandStatus command={command} />
    </>
  );
}
