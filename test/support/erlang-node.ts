/**
 * What the ejabberd and RabbitMQ harnesses share: a private `epmd` on a free loopback port (so nodes of one test
 * never meet another test's nodes, nor a system Erlang on 4369), bounded waits on ports and pids, bounded commands,
 * and a last-resort cleanup of every process and directory when the test process exits.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from './mosquitto.ts';

export const HOST = '127.0.0.1';
/** How a broker's log says one of its listening ports was taken. */
const PORT_TAKEN = /eaddrinuse|address already in use/i;
const PROBE_INTERVAL_MS = 50;
const MAX_LOG_CHARS = 500_000;

// Leftovers killed when the test process exits, so a test that forgets to stop a node leaks nothing.
const groups = new Set<number>();
const pids = new Set<number>();
const dirs = new Set<string>();
process.once('exit', () => {
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  for (const pid of pids) signalPid(pid, 'SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Removes `dir` when the test process exits, unless `forgetDir` was called first. */
export function removeAtExit(dir: string): void {
  dirs.add(dir);
}
export function forgetDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}
/** Kills `pid` (an OS process not spawned by us, e.g. a beam started by a wrapper) when the test process exits. */
export function killAtExit(pid: number): void {
  pids.add(pid);
}

export function signalPid(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone already
  }
}

export function isAlive(pid: number): boolean {
  return signalPid(pid, 0);
}

/** Polls `condition` every 50 ms until it holds; throws `what` once `timeoutMs` passed. */
export async function waitUntil(what: string, timeoutMs: number, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
}

/** True when something on 127.0.0.1:port accepts a TCP connection right now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Reads a pid file; undefined while it does not exist or is empty. */
export function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface CommandResult {
  code: number | null;
  output: string;
}

/** Runs a command with a hard time bound; resolves with its exit code and combined output (never rejects on a non-zero code). */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      const timedOut = error !== null && error.killed ? `\n(killed after ${timeoutMs} ms)` : '';
      resolve({ code, output: `${stdout}${stderr}${timedOut}` });
    });
  });
}

/** Like `run`, but throws with the output when the command fails. */
export async function runOk(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const result = await run(command, args, env, timeoutMs);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (code ${result.code}):\n${result.output}`);
  return result.output;
}

/** A long-running process in its own process group, its output kept for error messages. */
export interface Daemon {
  readonly child: ChildProcess;
  /** Resolves with a description once the process exited. */
  readonly exited: Promise<string>;
  logs(): string;
  /** Signals the whole process group (wrappers such as `su` and `sh` plus the beam). */
  signal(signal: NodeJS.Signals): void;
}

export function spawnDaemon(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Daemon {
  // detached: a new process group, so one kill reaches the wrapper scripts and the VM they start.
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid;
  if (pgid !== undefined) groups.add(pgid);
  let log = '';
  const append = (text: string) => {
    log += text;
    if (log.length > MAX_LOG_CHARS) log = log.slice(-MAX_LOG_CHARS);
  };
  child.stdout?.setEncoding('utf8').on('data', append);
  child.stderr?.setEncoding('utf8').on('data', append);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not run ${command}: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (pgid !== undefined) groups.delete(pgid);
      resolve(`${command} exited (code ${code}, signal ${signal})`);
    });
  });
  return {
    child,
    exited,
    logs: () => log,
    signal(signal) {
      if (pgid !== undefined) signalGroup(pgid, signal);
    },
  };
}

/** Whether the daemon's process has exited. */
export function hasExited(daemon: Daemon): boolean {
  return daemon.child.exitCode !== null || daemon.child.signalCode !== null;
}

/**
 * Waits for `daemon` (and `beamPid`, the VM it started, which may outlive a wrapper) to exit, up to `timeoutMs`;
 * then SIGKILLs the group and the beam, and waits again (bounded).
 */
export async function waitForExit(daemon: Daemon, beamPid: number | undefined, timeoutMs: number): Promise<void> {
  const gone = () => hasExited(daemon) && (beamPid === undefined || !isAlive(beamPid));
  try {
    await waitUntil('the node to exit', timeoutMs, gone);
  } catch {
    daemon.signal('SIGKILL');
    if (beamPid !== undefined) signalPid(beamPid, 'SIGKILL');
    await waitUntil('the node to exit after SIGKILL', 5_000, gone);
  }
  if (beamPid !== undefined) pids.delete(beamPid);
}

/** An epmd of our own on a free loopback port; every node and CLI call of one broker cluster uses it. */
export interface Epmd {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startEpmd(): Promise<Epmd> {
  let lastError = '';
  for (let attempt = 1; attempt <= 5; attempt++) {
    const [port] = (await freePorts(1)) as [number];
    // Not -daemon: it stays our child, so we can end it without `epmd -kill` (which refuses while nodes are registered).
    const daemon = spawnDaemon('epmd', ['-address', HOST, '-port', String(port)], { ...process.env, ERL_EPMD_PORT: String(port) });
    const ready = await Promise.race([
      waitUntil(`epmd on port ${port}`, 10_000, () => accepts(port)).then(() => true, () => false),
      daemon.exited.then(() => false),
    ]);
    if (ready && !hasExited(daemon)) {
      return {
        port,
        async stop() {
          daemon.signal('SIGTERM');
          await waitForExit(daemon, undefined, 5_000);
        },
      };
    }
    daemon.signal('SIGKILL');
    await daemon.exited;
    lastError = daemon.logs();
  }
  throw new Error(`could not start epmd: ${lastError}`);
}


export { freePorts };

/** One broker node of a test cluster: MQTT over TCP and over WebSocket on loopback, stoppable and restartable. */
export interface BrokerNode {
  /** Erlang node name, e.g. `ejabberd1@localhost`. */
  readonly name: string;
  readonly host: '127.0.0.1';
  readonly tcpPort: number;
  /** `mqtt://127.0.0.1:{tcpPort}`. */
  readonly tcpUrl: string;
  readonly wsPort: number;
  /** `ws://127.0.0.1:{wsPort}/{path}`; offer exactly one WebSocket subprotocol (`mqtt`) or none. */
  readonly wsUrl: string;
  /** Milliseconds the last (re)start took until both MQTT listeners accepted connections. */
  readonly startMs: number;
  /** Whether the node's process runs (it may still be starting or stopping). */
  running(): boolean;
  /** The broker's CLI against this node; resolves with its output, throws when it fails. */
  ctl(...args: string[]): Promise<string>;
  /** Graceful stop (SIGTERM: the VM runs `init:stop()`), bounded; state is kept for `restart()`. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. State is kept for `restart()`. */
  kill(): Promise<void>;
  /** Starts the node again on the same ports with its data. */
  restart(): Promise<void>;
  /** The node's console output and log file, for failure messages. */
  logs(): string;
}

export interface NodeLayout {
  name: string;
  /** The node's own state directory. */
  dir: string;
  tcpPort: number;
  wsPort: number;
  /** Path of the MQTT-over-WebSocket endpoint, e.g. `/mqtt`. */
  wsPath: string;
  /** Where the VM writes its OS pid. */
  pidFile: string;
  /** The broker's own log file. */
  logFile: string;
  startTimeoutMs: number;
  stopTimeoutMs: number;
}

/** Process control shared by both brokers; a subclass says how to launch the VM and how to call its CLI. */
export abstract class ErlangNode implements BrokerNode {
  readonly host = HOST;
  readonly name: string;
  readonly tcpPort: number;
  readonly wsPort: number;
  readonly tcpUrl: string;
  readonly wsUrl: string;
  startMs = 0;
  private daemon: Daemon | undefined;
  private beamPid: number | undefined;
  private readonly history: string[] = [];

  constructor(protected readonly layout: NodeLayout) {
    this.name = layout.name;
    this.tcpPort = layout.tcpPort;
    this.wsPort = layout.wsPort;
    this.tcpUrl = `mqtt://${HOST}:${layout.tcpPort}`;
    this.wsUrl = `ws://${HOST}:${layout.wsPort}${layout.wsPath}`;
  }

  /** Spawns the node in the foreground (its own process group). */
  protected abstract launch(): Daemon;
  abstract ctl(...args: string[]): Promise<string>;

  running(): boolean {
    return this.daemon !== undefined && !hasExited(this.daemon);
  }

  async start(): Promise<void> {
    if (this.running()) throw new Error(`${this.name} is already running`);
    const started = Date.now();
    const daemon = this.launch();
    this.daemon = daemon;
    this.beamPid = undefined;
    const ready = await Promise.race([
      this.waitForListeners('').then(() => '', (error: Error) => error.message),
      daemon.exited,
    ]);
    if (ready !== '' || hasExited(daemon)) {
      await this.stop();
      throw new Error(`${this.name} did not start: ${ready || 'exited while starting'}\n${this.logs().slice(-4_000)}`);
    }
    this.beamPid = readPid(this.layout.pidFile);
    if (this.beamPid !== undefined) killAtExit(this.beamPid);
    this.startMs = Date.now() - started;
  }

  /** Resolves once both MQTT listeners accept connections (after a start, or a CLI call that restarts the node's apps). */
  protected waitForListeners(after: string): Promise<void> {
    const what = `${this.name} to listen on ${this.tcpPort} (MQTT) and ${this.wsPort} (WS)${after}`;
    return waitUntil(what, this.layout.startTimeoutMs, async () => (await accepts(this.tcpPort)) && (await accepts(this.wsPort)));
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  async restart(): Promise<void> {
    if (this.running()) await this.stop();
    this.history.push(this.currentLogs());
    await this.start();
  }

  /** Ends the node however far it got (running, half-started, gone), bounded. */
  private async end(signal: NodeJS.Signals): Promise<void> {
    const daemon = this.daemon;
    if (daemon === undefined) return;
    const beam = this.beamPid ?? readPid(this.layout.pidFile);
    if (signal === 'SIGKILL') {
      daemon.signal('SIGKILL');
      if (beam !== undefined) signalPid(beam, 'SIGKILL');
    } else if (beam !== undefined) {
      // The VM handles SIGTERM as init:stop(): the broker closes its connections and exits.
      signalPid(beam, 'SIGTERM');
    } else {
      daemon.signal('SIGTERM');
    }
    await waitForExit(daemon, beam, this.layout.stopTimeoutMs);
  }

  private currentLogs(): string {
    let file = '';
    try {
      file = readFileSync(this.layout.logFile, 'utf8').slice(-20_000);
    } catch {
      // no log file yet
    }
    return `${this.daemon?.logs() ?? ''}\n--- ${this.layout.logFile} ---\n${file}`;
  }

  logs(): string {
    return [...this.history, this.currentLogs()].join('\n--- restart ---\n');
  }
}

/** What a broker's cluster set-up gets: a temp root (deleted at close) and the environment pointing at our epmd. */
export interface ClusterContext {
  root: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Creates the temp root and epmd, makes `count` nodes, starts them in parallel, joins nodes 2.. into node 1's
 * cluster one by one, then runs `ready`. Returns `close()`, which ends it all (bounded) and deletes the root.
 * On any failure everything is cleaned up and the error carries the nodes' logs.
 */
export async function bootCluster<N extends ErlangNode>(
  prefix: string,
  count: number,
  prepare: (root: string) => NodeJS.ProcessEnv | Promise<NodeJS.ProcessEnv>,
  makeNode: (context: ClusterContext, index: number) => N | Promise<N>,
  join: (node: N, first: N) => Promise<void>,
): Promise<{ nodes: N[]; close: () => Promise<void> }> {
  const root = mkdtempSync(path.join(os.tmpdir(), `mqttkit-${prefix}-`));
  removeAtExit(root);
  let epmd: Epmd | undefined;
  const nodes: N[] = [];
  const close = async () => {
    await Promise.allSettled(nodes.map((node) => node.stop()));
    await epmd?.stop();
    forgetDir(root);
  };
  try {
    const base = await prepare(root);
    epmd = await startEpmd();
    const env = { ...base, ERL_EPMD_ADDRESS: HOST, ERL_EPMD_PORT: String(epmd.port) };
    for (let index = 1; index <= count; index++) nodes.push(await makeNode({ root, env }, index));
    // Ports are picked free, then bound by the broker seconds later; meanwhile another VM's distribution listener
    // (which takes any free port) can take one (seen once in ~20 ejabberd cluster starts). Such a node is made
    // again on fresh ports, at most twice.
    await Promise.all(nodes.map(async (_, at) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await nodes[at]!.start();
        } catch (error) {
          if (attempt > 2 || !PORT_TAKEN.test(String(error))) throw error;
          nodes[at] = await makeNode({ root, env }, at + 1);
        }
      }
    }));
    const [first, ...others] = nodes;
    // One at a time: each join copies the cluster's schema and restarts the joining node's applications.
    for (const node of others) await join(node, first!);
    return { nodes, close };
  } catch (error) {
    const logs = nodes.map((node) => `--- ${node.name} ---\n${node.logs().slice(-4_000)}`).join('\n');
    await close();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs}`);
  }
}
