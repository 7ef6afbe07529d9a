import type { ReactNode } from 'react';
import { DEVICES, ROOMS } from '../devices/home.ts';
import { DeviceCard } from './cards/DeviceCard.tsx';

/** Every room with its device cards. In kiosk mode the CSS flattens rooms into one grid that fits the screen. */
export function Rooms(): ReactNode {
  return (
    <div className="rooms">
      {ROOMS.map((room) => (
        <section key={room.id} className="room" aria-labelledby={`room-${room.id}`}>
          <h2 id={`room-${room.id}`} className="room__title">
            {room.name}
          </h2>
          <div className="room__cards">
            {DEVICES.filter((device) => device.room === room.id).map((device) => (
              <DeviceCard key={device.id} spec={device} roomName={room.name} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
