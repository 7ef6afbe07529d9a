/** Runs `mqttkit-broker` (the real bin) in a child process, for crash and signal tests and the bench. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/mqttkit-broker.mjs', import.meta.url));

export interface ChildBroker {
  readonly child: ChildProcess;
  readonly tcpPort: number;
  readonly wsPort: number | undefined;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  logs(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the bin with `args` (add `--port 0`) and resolves once it logged its listening ports. */
export function spawnBroker(args: string[], timeoutMs = 30_000): Promise<ChildBroker> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`broker did not start within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const tcp = /listening transport=mqtts? host=\S+ port=(\d+)/.exec(log);
      const wantsWs = args.includes('--ws-port');
      const ws = /listening transport=wss? host=\S+ port=(\d+)/.exec(log);
      if (tcp && (!wantsWs || ws)) {
        clearTimeout(timer);
        resolve({
          child,
          tcpPort: Number(tcp[1]),
          wsPort: ws ? Number(ws[1]) : undefined,
          exited,
          logs: () => log,
          kill: (signal = 'SIGKILL') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited with ${code} before listening:\n${log}`));
    });
  });
}
