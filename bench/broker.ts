/**
 * Broker scenarios, side by side in one run: @mqttkit/broker (the real bin), Debian mosquitto, Aedes, and two
 * relays that forward PUBLISH bytes without any MQTT logic (bench/relay.mjs): a raw `ws` relay, the physical limit
 * of a Node broker on `ws` that coalesces writes per event-loop turn, and a raw socket relay that parses WebSocket
 * frames by hand, the limit of any Node broker (what is left is Node's socket machinery and the kernel). Each broker runs alone in its own child process; the same MQTT.js 3.1.1
 * WebSocket clients drive each one with the same load. Broker CPU comes from /proc/<pid>/task/<tid>/schedstat
 * (all its threads), RSS from /proc/<pid>/status.
 *
 * Scenarios: fan-out 1 → 50 (broker CPU µs per delivery), fan-in 50 → 1 at QoS 0 and QoS 1 (µs per message),
 * round-trip latency p50/p99 (publisher → broker → subscriber, QoS 0), RSS per idle connection at 2,000.
 * Every broker first gets the same warm-up at both QoS levels, so a JIT-compiled broker is measured in the steady
 * state it spends its life in, not while V8 compiles it; each fan-in figure is the median of three runs.
 *
 * `npm run bench -- broker`, or `npx tsx bench/broker.ts` (`BENCH_BROKERS=mqttkit,relay` for a subset).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { encode } from '../packages/core/src/codec/index.ts';
import { printTable } from './table.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'packages/broker/bin/mqttkit-broker.mjs');
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

const FAN_OUT_SUBSCRIBERS = 50;
const FAN_OUT_MESSAGES = 2_000;
const FAN_IN_PUBLISHERS = 50;
const FAN_IN_MESSAGES = 6_000;
/** Fan-in runs per QoS level: the median is reported (one run swings with the machine's load). */
const FAN_IN_RUNS = 3;
const WARM_UP_MESSAGES = 4_000;
const WINDOW = 200;
const LATENCY_SAMPLES = 1_000;
const IDLE_CONNECTIONS = 2_000;
const SCENARIO_TIMEOUT_MS = 30_000;
const PAYLOAD = Buffer.alloc(64, 0x61);

interface Target {
  name: string;
  pid: number;
  wsUrl: string;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------- processes

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`port ${port} not open within 15 s: ${log()}`);
}

async function launch(name: string, command: string, args: string[], wsPort: number, wsPath: string, cleanup = () => {}): Promise<Target> {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  await waitForPort(wsPort, child, () => log);
  return {
    name,
    pid: child.pid!,
    wsUrl: `ws://127.0.0.1:${wsPort}${wsPath}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      cleanup();
    },
  };
}

async function startMqttkit(): Promise<Target> {
  const [tcp, ws] = [await freePort(), await freePort()];
  return launch('mqttkit', process.execPath, [BIN, '--port', String(tcp), '--ws-port', String(ws), '--log-level', 'warn'], ws, '/mqtt');
}

async function startMosquitto(): Promise<Target> {
  const [tcp, ws] = [await freePort(), await freePort()];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-bench-mosquitto-'));
  const config = path.join(dir, 'mosquitto.conf');
  writeFileSync(config, [`user ${os.userInfo().username}`, 'log_dest none', `listener ${tcp} 127.0.0.1`, `listener ${ws} lo`, 'protocol websockets', 'allow_anonymous true', ''].join('\n'));
  return launch('mosquitto 2.0.11', 'mosquitto', ['-c', config], ws, '/mqtt', () => rmSync(dir, { recursive: true, force: true }));
}

const AEDES = `
import { createServer } from 'node:http';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
const aedes = await Aedes.createBroker();
const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (socket, request) => aedes.handle(createWebSocketStream(socket), request));
server.listen(Number(process.argv[1]), '127.0.0.1');
`;

async function startAedes(): Promise<Target> {
  const ws = await freePort();
  return launch('aedes 1.2', process.execPath, ['--input-type=module', '-e', AEDES, String(ws)], ws, '/mqtt');
}

/** The relays in bench/relay.mjs: MQTT bytes forwarded with no MQTT logic, over `ws` or over hand-parsed frames. */
async function startRelay(name: string, mode: 'ws' | 'socket'): Promise<Target> {
  const ws = await freePort();
  return launch(name, process.execPath, [path.join(ROOT, 'bench/relay.mjs'), String(ws), mode], ws, '/mqtt');
}

// ---------------------------------------------------------------- measuring

/**
 * Broker CPU time so far, in microseconds, over all its threads (V8 helpers and libuv included): nanosecond
 * run time from /proc/<pid>/task/<tid>/schedstat, or utime + stime in clock ticks where that is missing.
 */
function cpuMicros(pid: number): number {
  try {
    let nanos = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) nanos += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    return nanos / 1000;
  } catch {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS) * 1e6;
  }
}

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN);
}

/** A counter whose waiters resume when it reaches a value. */
class Counter {
  value = 0;
  private waiters: { at: number; resolve: () => void }[] = [];
  add(n = 1): void {
    this.value += n;
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => (this.value >= w.at ? (w.resolve(), false) : true));
  }
  reach(at: number, deadline: number): Promise<boolean> {
    if (this.value >= at) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
      this.waiters.push({ at, resolve: () => (clearTimeout(timer), resolve(true)) });
    });
  }
}

const clients: MqttClient[] = [];
async function connect(url: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000, keepalive: 60 });
  clients.push(client);
  return client;
}
async function disconnectAll(): Promise<void> {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
}

/** Sends `total` items keeping at most `window` ahead of `done` (closed loop); false if it timed out. */
async function pump(total: number, perItem: number, send: (i: number) => void, done: Counter, deadline: number): Promise<boolean> {
  for (let sent = 0; sent < total; ) {
    while (sent < total && sent - Math.floor(done.value / perItem) < WINDOW) send(sent++);
    if (!(await done.reach(Math.min(total, sent - WINDOW / 2) * perItem, deadline))) return false;
  }
  return done.reach(total * perItem, deadline);
}

interface Result {
  fanOut: number;
  fanIn0: number;
  fanIn1: number;
  p50: number;
  p99: number;
  rss: number;
  notes: string[];
}

async function fanOut(target: Target, notes: string[]): Promise<number> {
  const received = new Counter();
  for (let i = 0; i < FAN_OUT_SUBSCRIBERS; i++) {
    const sub = await connect(target.wsUrl);
    sub.on('message', () => received.add());
    await sub.subscribeAsync('bench/fanout', { qos: 0 });
  }
  const pub = await connect(target.wsUrl);
  const start = cpuMicros(target.pid);
  const ok = await pump(FAN_OUT_MESSAGES, FAN_OUT_SUBSCRIBERS, () => pub.publish('bench/fanout', PAYLOAD, { qos: 0 }), received, Date.now() + SCENARIO_TIMEOUT_MS);
  const cpu = cpuMicros(target.pid) - start;
  if (!ok) notes.push(`fan-out: ${received.value} of ${FAN_OUT_MESSAGES * FAN_OUT_SUBSCRIBERS} delivered`);
  await disconnectAll();
  return cpu / Math.max(1, received.value);
}

async function fanIn(target: Target, qos: 0 | 1, notes: string[], messages = FAN_IN_MESSAGES): Promise<number> {
  const received = new Counter();
  const sub = await connect(target.wsUrl);
  sub.on('message', () => received.add());
  await sub.subscribeAsync('bench/fanin', { qos });
  const pubs: MqttClient[] = [];
  for (let i = 0; i < FAN_IN_PUBLISHERS; i++) pubs.push(await connect(target.wsUrl));
  const start = cpuMicros(target.pid);
  const ok = await pump(messages, 1, (i) => pubs[i % FAN_IN_PUBLISHERS]!.publish('bench/fanin', PAYLOAD, { qos }), received, Date.now() + SCENARIO_TIMEOUT_MS);
  const cpu = cpuMicros(target.pid) - start;
  if (!ok) notes.push(`fan-in QoS ${qos}: ${received.value} of ${messages} delivered`);
  await disconnectAll();
  return cpu / Math.max(1, received.value);
}

async function latency(target: Target): Promise<{ p50: number; p99: number }> {
  const sub = await connect(target.wsUrl);
  const pub = await connect(target.wsUrl);
  let arrived: () => void = () => {};
  sub.on('message', () => arrived());
  await sub.subscribeAsync('bench/rtt', { qos: 0 });
  const samples: number[] = [];
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  for (let i = 0; i < LATENCY_SAMPLES + 100 && Date.now() < deadline; i++) {
    const got = new Promise<void>((resolve) => (arrived = resolve));
    const t0 = process.hrtime.bigint();
    pub.publish('bench/rtt', PAYLOAD, { qos: 0 });
    await got;
    if (i >= 100) samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  await disconnectAll();
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)] ?? NaN, p99: samples[Math.floor(samples.length * 0.99)] ?? NaN };
}

async function idleRss(target: Target): Promise<number> {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
  await settle();
  const before = rssKiB(target.pid);
  const sockets: WebSocket[] = [];
  for (let batch = 0; batch < IDLE_CONNECTIONS; batch += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        new Promise<void>((resolve, reject) => {
          const socket = new WebSocket(target.wsUrl, 'mqtt', { perMessageDeflate: false });
          sockets.push(socket);
          socket.once('open', () => socket.send(encode({ type: 'connect', protocolVersion: 4, clientId: `idle-${batch + i}`, clean: true, keepalive: 600 }, 4)));
          socket.once('message', () => resolve());
          socket.once('error', reject);
        }),
      ),
    );
  }
  await settle();
  const after = rssKiB(target.pid);
  for (const socket of sockets) socket.terminate();
  await settle();
  return (after - before) / IDLE_CONNECTIONS;
}

async function measure(start: () => Promise<Target>): Promise<{ name: string; result: Result }> {
  const target = await start();
  const notes: string[] = [];
  try {
    // RSS first, on a fresh process: later scenarios grow heaps that new connections would then reuse.
    const rss = await idleRss(target);
    // Warm up (JIT, buffers) before anything is measured: both QoS levels, as a long-running broker is.
    await fanIn(target, 0, [], WARM_UP_MESSAGES);
    await fanIn(target, 1, [], WARM_UP_MESSAGES);
    const fanOutCost = await fanOut(target, notes);
    const fanIn0: number[] = [];
    const fanIn1: number[] = [];
    for (let run = 0; run < FAN_IN_RUNS; run++) {
      fanIn0.push(await fanIn(target, 0, notes));
      fanIn1.push(await fanIn(target, 1, notes));
    }
    const { p50, p99 } = await latency(target);
    return { name: target.name, result: { fanOut: fanOutCost, fanIn0: median(fanIn0), fanIn1: median(fanIn1), p50, p99, rss, notes } };
  } finally {
    await disconnectAll();
    await target.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? NaN;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const ratio = (theirs: number, ours: number) => (Number.isFinite(theirs / ours) ? `${(theirs / ours).toFixed(2)}×` : 'n/a');

export async function run(): Promise<void> {
  const started = Date.now();
  const results = [];
  // BENCH_BROKERS=mqttkit,relay runs a subset (the ratio table needs mqttkit first).
  const only = process.env.BENCH_BROKERS?.split(',');
  const all = {
    mqttkit: startMqttkit,
    mosquitto: startMosquitto,
    aedes: startAedes,
    relay: () => startRelay('raw ws relay', 'ws'),
    socketRelay: () => startRelay('raw socket relay', 'socket'),
  };
  for (const [name, start] of Object.entries(all)) if (!only || only.includes(name)) results.push(await measure(start));
  console.log(`MQTT.js 3.1.1 clients over WebSocket, ${PAYLOAD.length} B payloads; broker CPU from /proc/<pid>/task/*/schedstat; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`fan-out 1→${FAN_OUT_SUBSCRIBERS} × ${FAN_OUT_MESSAGES} msgs; fan-in ${FAN_IN_PUBLISHERS}→1 × ${FAN_IN_MESSAGES} msgs (window ${WINDOW}, median of ${FAN_IN_RUNS}, after ${WARM_UP_MESSAGES} warm-up msgs at QoS 0 and 1); ${LATENCY_SAMPLES} round trips; ${IDLE_CONNECTIONS} idle connections\n`);
  printTable([
    ['broker', 'fan-out µs/delivery', 'fan-in QoS0 µs/msg', 'fan-in QoS1 µs/msg', 'RTT p50 µs', 'RTT p99 µs', 'RSS KiB/conn'],
    ...results.map(({ name, result: r }) => [name, fmt(r.fanOut, 2), fmt(r.fanIn0), fmt(r.fanIn1), fmt(r.p50, 0), fmt(r.p99, 0), fmt(r.rss)]),
  ]);
  const ours = results[0]!.result;
  console.log('\nratios: their cost ÷ ours (above 1× means mqttkit is cheaper; vs the relay it is the share of the physical limit reached)\n');
  printTable([
    ['vs', 'fan-out', 'fan-in QoS0', 'fan-in QoS1', 'RTT p50', 'RTT p99', 'RSS/conn'],
    ...results.slice(1).map(({ name, result: r }) => [name, ratio(r.fanOut, ours.fanOut), ratio(r.fanIn0, ours.fanIn0), ratio(r.fanIn1, ours.fanIn1), ratio(r.p50, ours.p50), ratio(r.p99, ours.p99), ratio(r.rss, ours.rss)]),
  ]);
  for (const { name, result } of results) for (const note of result.notes) console.log(`note (${name}): ${note}`);
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
