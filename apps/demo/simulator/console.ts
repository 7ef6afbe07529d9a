/**
 * Typed commands for a running simulator, one per line on stdin:
 *   devices                   list devices and whether they are running
 *   kill <room/device>        cut a device's connection (its will marks it offline)
 *   restart <room/device>     bring it back
 */
import { createInterface } from 'node:readline';
import type { Simulator } from './index.ts';

export const CONSOLE_HELP = 'Type "devices", "kill <room/device>" or "restart <room/device>".';

export function runCommand(simulator: Simulator, line: string, print: (text: string) => void): Promise<void> | void {
  const [verb, id] = line.trim().split(/\s+/);
  if (!verb) return;
  try {
    switch (verb) {
      case 'devices':
      case 'ls':
        for (const [deviceId, device] of simulator.devices) print(`  ${device.running ? 'up  ' : 'DOWN'}  ${deviceId}`);
        return;
      case 'kill':
        if (!id) return print('kill which device? e.g. kill hall/front-door-lock');
        simulator.kill(id);
        return;
      case 'restart':
        if (!id) return print('restart which device? e.g. restart hall/front-door-lock');
        return simulator.restart(id).catch((error: Error) => print(error.message));
      default:
        print(`unknown command "${verb}". ${CONSOLE_HELP}`);
    }
  } catch (error) {
    print((error as Error).message);
  }
}

/** Reads commands from stdin until it closes. `terminal: false` leaves Ctrl-C to the process's SIGINT handler. */
export function attachConsole(simulator: Simulator, print: (text: string) => void): () => void {
  const lines = createInterface({ input: process.stdin, terminal: false });
  lines.on('line', (line) => void runCommand(simulator, line, print));
  return () => lines.close();
}
