import type { ReactNode } from 'react';
import type { DeviceSpec } from '../../devices/home.ts';
import { formatAgo, formatPower } from '../format.ts';
import { useNow } from '../use-now.ts';
import { useDeviceState } from './device-state.ts';
import { Waiting } from './parts.tsx';

export function MotionCard({ spec }: { spec: DeviceSpec<'motion'> }): ReactNode {
  const sensor = useDeviceState(spec);
  const now = useNow(1000);
  if (!sensor) return <Waiting />;
  return (
    <>
      <div className="card__row">
        <span className={`dot-indicator ${sensor.motion ? 'dot-indicator--active' : ''}`} aria-hidden="true" />
        <p className="reading" data-testid="motion">{sensor.motion ? 'Motion' : 'Clear'}</p>
      </div>
      <p className="card__meta">Last motion {formatAgo(sensor.lastMotion, now)}</p>
    </>
  );
}

export function ContactCard({ spec }: { spec: DeviceSpec<'contact'> }): ReactNode {
  const sensor = useDeviceState(spec);
  const now = useNow(1000);
  if (!sensor) return <Waiting />;
  return (
    <>
      <div className="card__row">
        <span className={`dot-indicator ${sensor.open ? 'dot-indicator--warn' : ''}`} aria-hidden="true" />
        <p className="reading" data-testid="contact">{sensor.open ? 'Open' : 'Closed'}</p>
      </div>
      <p className="card__meta">Changed {formatAgo(sensor.lastChanged, now)}</p>
    </>
  );
}

export function PowerMeterCard({ spec }: { spec: DeviceSpec<'powerMeter'> }): ReactNode {
  const meter = useDeviceState(spec);
  if (!meter) return <Waiting />;
  return (
    <>
      <p className="reading reading--large" data-testid="power">
        {formatPower(meter.power)}
      </p>
      <p className="card__meta">{meter.energy.toFixed(3)} kWh since start</p>
    </>
  );
}
