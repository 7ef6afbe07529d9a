/** Where the dashboard connects and how it shows itself, from the URL (`?broker=`, `?kiosk=1`) or the build env. */
export const DEFAULT_BROKER_URL = 'ws://127.0.0.1:8080/mqtt';

export interface DashboardConfig {
  /** The broker's WebSocket URL. */
  brokerUrl: string;
  /** Wall-tablet mode: full screen, large touch targets, no scrollbars, screen kept awake. */
  kiosk: boolean;
}

export function readConfig(search: string, envUrl: string | undefined): DashboardConfig {
  const params = new URLSearchParams(search);
  const kiosk = params.get('kiosk');
  return {
    brokerUrl: params.get('broker') || envUrl || DEFAULT_BROKER_URL,
    kiosk: kiosk !== null && kiosk !== '0' && kiosk !== 'false',
  };
}
