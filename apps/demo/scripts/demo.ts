/**
 * `npm run demo`: the bundled broker, the simulated home and the dashboard's dev server, in one process.
 * Ctrl-C stops all three. Ports: MQTT_PORT (TCP, 1883), MQTT_WS_PORT (WebSocket, 8080), DEMO_PORT (web, 5173);
 * MQTT_HOST (127.0.0.1). The broker keeps its state in apps/demo/.data/broker.db.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBroker } from '@mqttkit/broker';
import { attachConsole, CONSOLE_HELP } from '../simulator/console.ts';
import { startSimulator } from '../simulator/index.ts';
import { startDashboardServer } from './dev-server.ts';

const host = process.env.MQTT_HOST ?? '127.0.0.1';
const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got ${process.env[name]}`);
  return value;
};

const dataDir = fileURLToPath(new URL('../.data/', import.meta.url));
mkdirSync(dataDir, { recursive: true });

const broker = await createBroker({
  host,
  port: port('MQTT_PORT', 1883),
  wsPort: port('MQTT_WS_PORT', 8080),
  store: `${dataDir}broker.db`,
  // $SYS/broker/... statistics every 5 s, shown in the topic explorer.
  sysInterval: 5,
  logLevel: 'warn',
}).catch((error: NodeJS.ErrnoException) => {
  const hint = error.code === 'EADDRINUSE' ? ' (is another broker running? set MQTT_PORT / MQTT_WS_PORT to other ports)' : '';
  console.error(`could not start the broker: ${error.message}${hint}`);
  process.exit(1);
});
const brokerUrl = `ws://${host}:${broker.ports.ws}/mqtt`;

const simulator = await startSimulator({ url: brokerUrl, log: (line) => console.log(`[simulator] ${line}`) });

const dashboard = await startDashboardServer({ host, port: port('DEMO_PORT', 5173), brokerUrl }).catch(async (error: Error) => {
  console.error(`could not start the dashboard: ${error.message} (set DEMO_PORT to another port?)`);
  await simulator.stop();
  await broker.close();
  process.exit(1);
});
const web = dashboard.url;

console.log(`
  mqttkit demo
  dashboard   ${web}
  kiosk       ${web}?kiosk=1
  broker      mqtt://${host}:${broker.ports.tcp}  ${brokerUrl}  (state in apps/demo/.data/)
  devices     ${simulator.devices.size} simulated, e.g. mosquitto_sub -p ${broker.ports.tcp} -t 'myhome/#' -v

  ${CONSOLE_HELP} Ctrl-C stops everything.
`);
const detachConsole = attachConsole(simulator, (text) => console.log(text));

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the dashboard, the devices and the broker…`);
  // Never hang on shutdown: if something does not close in time, exit anyway.
  setTimeout(() => {
    console.error('shutdown took too long; exiting');
    process.exit(1);
  }, 5000).unref();
  detachConsole();
  await dashboard.close();
  await simulator.stop();
  await broker.close();
  console.log('stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
