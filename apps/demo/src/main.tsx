/** Entry point: read the configuration, start connecting at once, give the app the client through `MqttProvider`. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MqttClient } from '@mqttkit/core';
import { MqttProvider } from '@mqttkit/react';
import { readConfig } from './config.ts';
import { adoptingEarlySocket } from './early-socket.ts';
import { App } from './ui/App.tsx';
import './styles.css';

const config = readConfig(location.search, import.meta.env.VITE_MQTT_URL);
if (config.kiosk) document.documentElement.classList.add('kiosk');

// Connect before React renders, on the socket preconnect.ts opened while this bundle loaded: the handshake and
// CONNACK overlap loading and the first render, and the cards' subscriptions go out in the first frame after it.
// The page owns this client for its whole life.
const client = new MqttClient({
  url: config.brokerUrl,
  WebSocket: adoptingEarlySocket(),
  clientId: `dashboard-${Math.random().toString(36).slice(2, 10)}`,
  keepalive: 20,
  // Closing the kiosk sheet and opening it again within a second keeps its subscriptions (no UNSUBSCRIBE/SUBSCRIBE).
  unsubscribeDelay: 1000,
  // A wall display must come back on its own, quickly, whatever happened to the broker or the network.
  reconnect: { minDelay: 500, maxDelay: 5000, resetAfter: 10_000 },
});
client.connect().catch(() => undefined); // a final refusal shows in the connection banner (state.error)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MqttProvider client={client}>
      <App config={config} />
    </MqttProvider>
  </StrictMode>,
);
