/**
 * A device's card: fixed size with `contain: strict` (set in CSS), so a changing value repaints this card only,
 * never the page. The availability badge comes from the device's will.
 */
import { useState, type ReactNode } from 'react';
import type { DeviceKind, DeviceSpec } from '../../devices/home.ts';
import { useKiosk } from '../kiosk.ts';
import { CardSheet } from './CardSheet.tsx';
import { useAvailability } from './device-state.ts';
import { DishwasherCard } from './DishwasherCard.tsx';
import { LightCard } from './LightCard.tsx';
import { LockCard } from './LockCard.tsx';
import { ContactCard, MotionCard, PowerMeterCard } from './SensorCards.tsx';
import { ThermostatCard } from './ThermostatCard.tsx';

const BODIES: { [K in DeviceKind]: (props: { spec: DeviceSpec<K> }) => ReactNode } = {
  light: LightCard,
  thermostat: ThermostatCard,
  lock: LockCard,
  dishwasher: DishwasherCard,
  motion: MotionCard,
  contact: ContactCard,
  powerMeter: PowerMeterCard,
};

/** Kinds whose cards have controls that kiosk mode's small grid cells leave to the card's sheet. */
const HAS_MORE: ReadonlySet<DeviceKind> = new Set(['light', 'thermostat', 'dishwasher']);

export function DeviceCard({ spec, roomName }: { spec: DeviceSpec; roomName: string }): ReactNode {
  const availability = useAvailability(spec);
  const kiosk = useKiosk();
  const [sheetOpen, setSheetOpen] = useState(false);
  const Body = BODIES[spec.kind] as (props: { spec: DeviceSpec }) => ReactNode;
  const titleId = `card-${spec.id.replace('/', '-')}`;
  const title = (
    <>
      <span className="card__room">{roomName} </span>
      <span className="card__name">{spec.name}</span>
    </>
  );
  return (
    <article
      className={`card card--${spec.kind} ${availability === 'offline' ? 'card--offline' : ''}`}
      aria-labelledby={titleId}
      data-device={spec.id}
      data-availability={availability ?? 'unknown'}
    >
      <header className="card__head">
        <h3 id={titleId} className="card__title">
          {kiosk && HAS_MORE.has(spec.kind) ? (
            // The whole title is the target: the kiosk grid has no room for another 48 px button.
            <button type="button" className="card__open" aria-haspopup="dialog" onClick={() => setSheetOpen(true)}>
              {title}
              <span className="card__more" aria-hidden="true">
                ⋯
              </span>
            </button>
          ) : (
            title
          )}
        </h3>
        <AvailabilityBadge value={availability} />
      </header>
      <div className="card__body">
        <Body spec={spec} />
      </div>
      {sheetOpen && (
        <CardSheet title={`${roomName} ${spec.name}`} titleId={`${titleId}-sheet`} onClose={() => setSheetOpen(false)}>
          <Body spec={spec} />
        </CardSheet>
      )}
    </article>
  );
}

function AvailabilityBadge({ value }: { value: 'online' | 'offline' | undefined }): ReactNode {
  const label = value === 'online' ? 'Online' : value === 'offline' ? 'Offline' : 'Unknown';
  return (
    <span className={`badge badge--${value ?? 'unknown'}`} data-testid="availability">
      <span className="badge__dot" aria-hidden="true" />
      <span className="badge__text">{label}</span>
    </span>
  );
}
