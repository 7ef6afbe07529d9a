/**
 * The device simulator: every device of the simulated home as its own MQTT client.
 *
 *   const sim = await startSimulator({ url: 'ws://127.0.0.1:8080/mqtt' });
 *   sim.kill('hall/front-door-lock');      // drops its connection: the broker publishes its will
 *   await sim.restart('hall/front-door-lock');
 *   await sim.stop();
 */
import { DEVICES, type DeviceSpec } from '../src/devices/home.ts';
import { SimulatedDevice, type ClientFactory } from './device.ts';
import { wsClientFactory } from './ws-client.ts';

export interface SimulatorOptions {
  /** The broker's WebSocket URL, e.g. ws://127.0.0.1:8080/mqtt. */
  url: string;
  /** Which devices to run; the whole home by default. */
  devices?: DeviceSpec[];
  /** Client ids are `<prefix>-<room>-<device>`; default `sim`. */
  clientIdPrefix?: string;
  random?: () => number;
  createClient?: ClientFactory;
  log?: (line: string) => void;
}

export interface Simulator {
  readonly devices: ReadonlyMap<string, SimulatedDevice>;
  /** Cuts one device's connection without DISCONNECT (its will marks it offline). */
  kill(id: string): void;
  /** Brings a killed device back; resolves once it is connected again. */
  restart(id: string): Promise<void>;
  /** Marks every device offline and disconnects them. */
  stop(): Promise<void>;
}

/** Starts every device and resolves once all of them are connected. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const devices = new Map<string, SimulatedDevice>();
  const runtime = {
    url: options.url,
    createClient: options.createClient ?? wsClientFactory,
    clientIdPrefix: options.clientIdPrefix ?? 'sim',
    random: options.random ?? Math.random,
    now: () => Date.now(),
    houseLoad: () => {
      let watts = 0;
      for (const device of devices.values()) watts += device.power;
      return watts;
    },
    log: options.log ?? (() => undefined),
  };
  for (const spec of options.devices ?? DEVICES) devices.set(spec.id, new SimulatedDevice(spec, runtime));

  const find = (id: string): SimulatedDevice => {
    const device = devices.get(id);
    if (!device) throw new Error(`no simulated device "${id}"; known: ${[...devices.keys()].join(', ')}`);
    return device;
  };

  await Promise.all([...devices.values()].map((device) => device.start()));
  return {
    devices,
    kill: (id) => find(id).kill(),
    restart: async (id) => {
      await find(id).start();
      runtime.log(`${id}: restarted`);
    },
    stop: async () => {
      await Promise.all([...devices.values()].map((device) => device.stop()));
    },
  };
}
