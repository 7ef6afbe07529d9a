import { createContext, useContext } from 'react';

/** Whether the dashboard runs as a wall-tablet kiosk (`?kiosk=1`). */
export const KioskContext = createContext(false);

export const useKiosk = (): boolean => useContext(KioskContext);
