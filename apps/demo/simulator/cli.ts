/**
 * Runs the simulated home against any broker:
 *   npm run simulator -w apps/demo -- --url ws://127.0.0.1:8080/mqtt [--only kitchen/smartdishwasher,hall/front-door-lock]
 */
import { parseArgs } from 'node:util';
import { DEVICES } from '../src/devices/home.ts';
import { attachConsole, CONSOLE_HELP } from './console.ts';
import { startSimulator } from './index.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.MQTT_URL ?? `ws://127.0.0.1:${process.env.MQTT_WS_PORT ?? 8080}/mqtt` },
    only: { type: 'string' },
  },
});
const only = values.only?.split(',').map((id) => id.trim());
const devices = only ? DEVICES.filter((device) => only.includes(device.id)) : DEVICES;
if (only && devices.length !== only.length) {
  console.error(`unknown device in --only; known: ${DEVICES.map((device) => device.id).join(', ')}`);
  process.exit(2);
}

console.log(`simulating ${devices.length} devices against ${values.url}`);
const simulator = await startSimulator({ url: values.url, devices, log: (line) => console.log(line) });
console.log(`all devices online. ${CONSOLE_HELP}`);
const detach = attachConsole(simulator, (text) => console.log(text));

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  detach();
  await simulator.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
