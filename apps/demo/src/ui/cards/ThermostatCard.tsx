import type { ReactNode } from 'react';
import type { DeviceSpec } from '../../devices/home.ts';
import { SETPOINT_RANGE } from '../../devices/thermostat.ts';
import { formatTemperature } from '../format.ts';
import { useCommand } from '../use-command.ts';
import { useDeviceState } from './device-state.ts';
import { CommandStatus, Waiting } from './parts.tsx';

const STEP = 0.5;

export function ThermostatCard({ spec }: { spec: DeviceSpec<'thermostat'> }): ReactNode {
  const command = useCommand(spec, useDeviceState(spec));
  const thermostat = command.view;
  if (!thermostat) return <Waiting />;
  const setTo = (setpoint: number) => {
    const value = Math.min(SETPOINT_RANGE[1], Math.max(SETPOINT_RANGE[0], setpoint));
    command.send({ setpoint: value }, (state) => state.setpoint === value, { setpoint: value });
  };
  const heatOn = thermostat.mode === 'heat';
  return (
    <>
      <div className="card__row">
        <p className={`reading ${thermostat.heating ? 'reading--heating' : ''}`}>
          <span data-testid="temperature">{formatTemperature(thermostat.temperature)}</span>
          {thermostat.heating && <span className="visually-hidden">, heating</span>}
        </p>
        <p className="reading reading--small">
          <span className="visually-hidden">Humidity </span>
          {thermostat.humidity.toFixed(0)} %<span aria-hidden="true"> RH</span>
        </p>
      </div>
      <div className="setpoint" role="group" aria-label={`${spec.name} setpoint`}>
        <button type="button" className="round-button" aria-label="Lower setpoint" onClick={() => setTo(thermostat.setpoint - STEP)}>
          −
        </button>
        <output className="setpoint__value" aria-live="polite" data-testid="setpoint">
          {thermostat.setpoint.toFixed(1)} °C
        </output>
        <button type="button" className="round-button" aria-label="Raise setpoint" onClick={() => setTo(thermostat.setpoint + STEP)}>
          +
        </button>
      </div>
      <div className="card__row card__extra">
        <button
          type="button"
          role="switch"
          aria-checked={heatOn}
          className="switch switch--small"
          aria-label={`${spec.name} heating`}
          onClick={() => {
            const mode = heatOn ? 'off' : 'heat';
            command.send({ mode }, (state) => state.mode === mode, { mode });
          }}
        >
          <span className="switch__track" aria-hidden="true" />
          <span className="switch__text">{heatOn ? 'Auto' : 'Off'}</span>
        </button>
        <span className={`pill ${thermostat.heating ? 'pill--hot' : ''}`} data-testid="heating" aria-hidden="true">
          {thermostat.heating ? 'Heating' : 'Idle'}
        </span>
      </div>
      <CommandStatus command={command} />
    </>
  );
}
