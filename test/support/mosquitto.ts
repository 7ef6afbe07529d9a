/**
 * Starts Debian `mosquitto` for tests (Vitest and Playwright): a TCP listener on 127.0.0.1 and a WebSocket
 * listener on the loopback interface, each on a free port, ready when both accept connections.
 *
 * ```ts
 * const broker = await startMosquitto();
 * // ... connect to broker.tcpPort or broker.wsUrl ...
 * await broker.stop();
 * ```
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface MosquittoOptions {
  /** Keep sessions, retained messages and queued messages across restarts (`persistence true`). */
  persistence?: boolean;
  /** Where the persistence database lives; defaults to a directory inside the temporary config directory. */
  dataDir?: string;
  /** Username → password. When given, anonymous clients are refused and a `password_file` is built. */
  passwords?: Record<string, string>;
  /** The text of an `acl_file`, e.g. `"user alice\ntopic readwrite alice/#\n"`. */
  acl?: string;
  /** Extra configuration lines appended as they are (global options such as `max_inflight_messages 20`). */
  extraConfig?: string[];
}

export interface Mosquitto {
  readonly host: '127.0.0.1';
  /** The MQTT-over-TCP port on 127.0.0.1. */
  readonly tcpPort: number;
  /** The MQTT-over-WebSocket port on the loopback interface. */
  readonly wsPort: number;
  /** `ws://127.0.0.1:{wsPort}`; use the WebSocket subprotocol `mqtt`. */
  readonly wsUrl: string;
  /** Ends mosquitto (SIGTERM, then SIGKILL after a bound) and deletes its temporary files. Final: no restart after it. */
  stop(): Promise<void>;
  /** Sends `signal` (default SIGKILL: a crash) and waits for the exit. Files are kept so `restart()` can follow. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops mosquitto gracefully if it runs, then starts it again on the same ports with the same config and data. */
  restart(): Promise<void>;
  /** Everything mosquitto wrote to stdout and stderr so far, across restarts. */
  logs(): string;
}

const HOST = '127.0.0.1';
/** How long mosquitto may take to accept connections on both ports, and to exit after SIGTERM. */
const READY_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 5_000;
/** How often a graceful stop repeats its signal while mosquitto has not exited. */
const RESIGNAL_MS = 1_000;
const PROBE_INTERVAL_MS = 20;
/** Attempts with fresh ports when another process took a chosen port between probing and binding. */
const PORT_ATTEMPTS = 5;
const MAX_LOG_CHARS = 1_000_000;

const execFileAsync = promisify(execFile);

// Children and directories still alive when the test process exits, so a test that forgets stop() leaks nothing.
const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts mosquitto on free loopback ports and resolves once both listeners accept connections. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-mosquitto-'));
  tempDirs.add(dir);
  let log = '';
  const appendLog = (text: string) => {
    log += text;
    if (log.length > MAX_LOG_CHARS) log = log.slice(-MAX_LOG_CHARS);
  };
  try {
    const configBody = await writeAuthFiles(dir, options);
    let lastError: unknown;
    for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      const [tcpPort, wsPort] = (await freePorts(2)) as [number, number];
      const configPath = path.join(dir, 'mosquitto.conf');
      writeFileSync(configPath, renderConfig(tcpPort, wsPort, configBody));
      try {
        const child = await launch(configPath, tcpPort, wsPort, appendLog, () => log);
        return control(dir, options, configPath, tcpPort, wsPort, child, appendLog, () => log);
      } catch (error) {
        lastError = error;
        if (!(error instanceof PortTakenError)) throw error;
      }
    }
    throw lastError;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
    throw error;
  }
}

/** Ports that were free a moment ago: bound to port 0 on 127.0.0.1 together (so they differ), read, closed. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, HOST, () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

class PortTakenError extends Error {}

function control(
  dir: string,
  options: MosquittoOptions,
  configPath: string,
  tcpPort: number,
  wsPort: number,
  first: ChildProcess,
  appendLog: (text: string) => void,
  logs: () => string,
): Mosquitto {
  let child: ChildProcess | undefined = first;
  let stopped = false;
  const end = async (signal: NodeJS.Signals) => {
    const current = child;
    child = undefined;
    if (current !== undefined) await terminate(current, signal);
  };
  return {
    host: HOST,
    tcpPort,
    wsPort,
    wsUrl: `ws://${HOST}:${wsPort}`,
    logs,
    async stop() {
      stopped = true;
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
    async kill(signal = 'SIGKILL') {
      await end(signal);
    },
    async restart() {
      if (stopped) throw new Error('mosquitto was stopped for good; start a new one with startMosquitto()');
      await end('SIGTERM');
      appendLog(`--- restart on ports ${tcpPort} (tcp) and ${wsPort} (ws) ---\n`);
      // Our ports were free a moment ago; a probe elsewhere may hold one briefly, so try a few times.
      for (let attempt = 1; ; attempt++) {
        try {
          child = await launch(configPath, tcpPort, wsPort, appendLog, logs);
          return;
        } catch (error) {
          if (!(error instanceof PortTakenError) || attempt === PORT_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    },
  };
}

async function writeAuthFiles(dir: string, options: MosquittoOptions): Promise<string[]> {
  const lines: string[] = [];
  const passwords = Object.entries(options.passwords ?? {});
  if (options.passwords !== undefined) {
    const passwordFile = path.join(dir, 'passwords');
    writeFileSync(passwordFile, '');
    for (const [user, password] of passwords) await execFileAsync('mosquitto_passwd', ['-b', passwordFile, user, password]);
    lines.push('allow_anonymous false', `password_file ${passwordFile}`);
  } else {
    lines.push('allow_anonymous true');
  }
  if (options.acl !== undefined) {
    const aclFile = path.join(dir, 'acl');
    writeFileSync(aclFile, options.acl);
    lines.push(`acl_file ${aclFile}`);
  }
  if (options.persistence === true) {
    const dataDir = options.dataDir ?? path.join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    // mosquitto concatenates location and file name: the trailing slash matters.
    lines.push('persistence true', `persistence_location ${dataDir.endsWith('/') ? dataDir : `${dataDir}/`}`);
  }
  return [...lines, ...(options.extraConfig ?? [])];
}

function renderConfig(tcpPort: number, wsPort: number, body: string[]): string {
  return [
    // As root, mosquitto 2 would switch to the `mosquitto` user, which cannot read our temp files.
    `user ${os.userInfo().username}`,
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'connection_messages true',
    `listener ${tcpPort} ${HOST}`,
    // `127.0.0.1` here would bind every address (libwebsockets reads it as an interface): name the interface.
    `listener ${wsPort} lo`,
    'protocol websockets',
    ...body,
    '',
  ].join('\n');
}

/** Spawns mosquitto and resolves once both ports accept TCP connections; rejects with its log if it cannot. */
async function launch(
  configPath: string,
  tcpPort: number,
  wsPort: number,
  appendLog: (text: string) => void,
  logs: () => string,
): Promise<ChildProcess> {
  const child = spawn('mosquitto', ['-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let ownLog = '';
  const onData = (text: string) => {
    if (ownLog.length < MAX_LOG_CHARS) ownLog += text;
    appendLog(text);
  };
  child.stdout?.setEncoding('utf8').on('data', onData);
  child.stderr?.setEncoding('utf8').on('data', onData);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not run mosquitto: ${error.message}`));
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(`mosquitto exited (code ${code}, signal ${signal})`);
    });
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const ready = (async () => {
    await waitForPort(tcpPort, deadline);
    await waitForPort(wsPort, deadline);
  })();
  const outcome = await Promise.race([
    ready.then(() => undefined, (error: Error) => error.message),
    exited,
  ]);
  if (outcome === undefined && child.exitCode === null && child.signalCode === null) return child;
  // Not ready: make sure it is gone, then explain with its own words.
  await terminate(child, 'SIGKILL');
  await exited;
  const message = `${outcome ?? 'mosquitto exited while starting'}\n--- mosquitto log ---\n${logs()}`;
  if (/Address already in use/i.test(ownLog)) throw new PortTakenError(message);
  throw new Error(message);
}

/** Polls until something accepts a TCP connection on 127.0.0.1:port, or the deadline passes. */
async function waitForPort(port: number, deadline: number): Promise<void> {
  for (;;) {
    const error = await tryConnect(port);
    if (error === undefined) return;
    if (Date.now() >= deadline) throw new Error(`port ${port} did not accept connections within ${READY_TIMEOUT_MS} ms (${error})`);
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
}

function tryConnect(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error) => {
      socket.destroy();
      resolve(error.message);
    });
  });
}

/**
 * Sends `signal` and waits for the exit; escalates to SIGKILL when the process outlives EXIT_TIMEOUT_MS.
 * Waits for 'close', not 'exit': 'exit' can come before the last log lines ("terminating") are read from the pipes.
 */
async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.kill(signal);
  // A graceful signal is sent again each second: once in many CI runs, mosquitto 2.0.11 outlived a single SIGTERM
  // by 5 s (its log never said "terminating"), while a repeated one is harmless to a process already shutting down.
  const repeat = signal === 'SIGKILL' ? undefined : setInterval(() => child.kill(signal), RESIGNAL_MS);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), EXIT_TIMEOUT_MS);
  });
  const lingering = await Promise.race([exit.then(() => false), timedOut]);
  clearTimeout(timer);
  clearInterval(repeat);
  if (lingering) {
    child.kill('SIGKILL');
    await exit;
  }
}
