/**
 * `npm run soak`: the long runs.
 * 1. Soak: the broker bin with 2,000 clients (half 3.1.1, half 5.0; half TCP, half WebSocket), each subscribed to
 *    its room and publishing QoS 0/1 steadily, for a bounded time; the broker's RSS and the event-loop lag it
 *    reports (through a probe client's round trip) sampled every second and printed.
 * 2. Connection storm: the broker restarted under 1,000 connected clients; time until all are back.
 * 3. QoS 1/2 through the fault proxy, 10,000 + 10,000 messages, to mosquitto and our broker.
 * 4. kill -9 of the SQLite broker under load.
 *
 *   tsx bench/soak.ts [--clients 2000] [--seconds 150] [--rate 200] [--storm 1000] [--faults 10000] [--kills 5]
 *                     [--only soak,storm,faults,kill9] [--targets mosquitto,mqttkit] [--versions 4,5] [--seed 1000] [--timeout 600]
 * `--rate` is publishes per second in all; each goes to a room of clients/100 subscribers (20 at 2,000).
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { spawnBroker, type ChildBroker } from '../packages/broker/test/support/child-broker.ts';
import { encode, PacketDecoder, type Packet, type ProtocolVersion } from '../packages/core/src/codec/index.ts';
import { runDeliveryUnderFaults, deliveryReport } from '../test/faults/delivery-under-faults.ts';
import { runKill9 } from '../test/faults/kill9-run.ts';
import { rssOf } from '../test/fuzz/broker-run.ts';
import { SOME_FAULTS } from '../test/support/fault-proxy.ts';
import { freePorts, startMosquitto } from '../test/support/mosquitto.ts';
import { createBroker } from '../packages/broker/src/index.ts';
import { createLogger } from '../packages/broker/src/log.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const list = (name: string, fallback: string[]): string[] => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]!.split(',') : fallback);
const only = list('only', ['soak', 'storm', 'faults', 'kill9']);
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
const cpuSecondsOf = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** A light MQTT client over TCP or WebSocket (one per simulated device): our codec, no reconnect logic. */
class Device {
  private decoder: PacketDecoder;
  private socket: net.Socket | undefined;
  private ws: WebSocket | undefined;
  received = 0;
  connected = false;
  closed = false;
  private nextId = 1;
  onConnack: (() => void) | undefined;

  constructor(readonly id: string, readonly version: ProtocolVersion, readonly transport: 'tcp' | 'ws') {
    this.decoder = new PacketDecoder({ version });
  }

  open(broker: { tcpPort: number; wsPort: number | undefined }): Promise<void> {
    return new Promise((resolve, reject) => {
      const onBytes = (chunk: Uint8Array) => {
        for (const p of this.decoder.push(chunk)) this.handle(p, resolve);
      };
      const onClose = () => {
        this.connected = false;
        this.closed = true;
        reject(new Error(`${this.id} closed before CONNACK`));
      };
      if (this.transport === 'tcp') {
        const socket = net.connect({ host: '127.0.0.1', port: broker.tcpPort }, () => this.write(this.connectBytes()));
        socket.on('data', onBytes).on('error', () => {}).on('close', onClose);
        this.socket = socket;
      } else {
        const ws = new WebSocket(`ws://127.0.0.1:${broker.wsPort}/mqtt`, 'mqtt');
        ws.binaryType = 'nodebuffer';
        ws.on('open', () => this.write(this.connectBytes())).on('message', (data: Buffer) => onBytes(data)).on('error', () => {}).on('close', onClose);
        this.ws = ws;
      }
    });
  }

  private connectBytes(): Uint8Array {
    return encode({ type: 'connect', protocolVersion: this.version, clientId: this.id, clean: true, keepalive: 60 }, this.version);
  }

  private handle(p: Packet, connected: () => void): void {
    if (p.type === 'connack') {
      this.connected = p.reasonCode === 0;
      this.onConnack?.();
      connected();
    } else if (p.type === 'publish') {
      this.received++;
      if (p.qos === 1) this.write(encode({ type: 'puback', packetId: p.packetId! }, this.version));
    }
  }

  write(bytes: Uint8Array): void {
    if (this.socket && !this.socket.destroyed) this.socket.write(bytes);
    else if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  subscribe(filter: string): void {
    this.write(encode({ type: 'subscribe', packetId: this.nextId++, subscriptions: [{ filter, qos: 1 }] }, this.version));
  }

  publish(topic: string, qos: 0 | 1): void {
    const payload = new TextEncoder().encode(`${this.id} ${Date.now()}`);
    this.write(encode(qos ? { type: 'publish', topic, payload, qos, retain: false, dup: false, packetId: (this.nextId++ % 60_000) + 1 } : { type: 'publish', topic, payload, qos, retain: false, dup: false }, this.version));
  }

  destroy(): void {
    this.socket?.destroy();
    this.ws?.terminate();
  }
}

function devices(n: number): Device[] {
  return Array.from({ length: n }, (_, i) => new Device(`soak-${i}`, i % 2 ? 5 : 4, i % 4 < 2 ? 'tcp' : 'ws'));
}

async function openAll(list: Device[], broker: { tcpPort: number; wsPort: number | undefined }, batch = 200): Promise<number> {
  let failed = 0;
  for (let i = 0; i < list.length; i += batch) {
    const results = await Promise.allSettled(list.slice(i, i + batch).map((d) => d.open(broker)));
    failed += results.filter((r) => r.status === 'rejected').length;
  }
  return failed;
}

async function soak(clients: number, seconds: number, rate: number): Promise<boolean> {
  const broker = await spawnBroker(['--port', '0', '--ws-port', '0', '--log-level', 'info'], 60_000);
  const pid = broker.child.pid!;
  const list = devices(clients);
  const t0 = performance.now();
  const failed = await openAll(list, broker);
  const connectMs = performance.now() - t0;
  for (const [i, d] of list.entries()) d.subscribe(`rooms/${i % 100}/#`);
  const idleRss = rssOf(pid);
  console.log(`\n== soak: ${clients} clients (3.1.1/5.0, TCP/WS) connected in ${(connectMs / 1000).toFixed(1)} s (${failed} failed), broker RSS ${mib(idleRss)} (${((idleRss / clients) / 1024).toFixed(1)} KiB per client incl. base) ==`);
  // Probe: the broker's responsiveness, as the round trip of a PINGREQ-like publish to itself.
  const probe = new Device('soak-probe', 5, 'tcp');
  await probe.open(broker);
  probe.subscribe('probe/echo');
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const samples: string[] = [];
  const rss: number[] = [];
  const rtts: number[] = [];
  let published = 0;
  const publisher = setInterval(() => {
    // `rate` messages per second in all, spread over ticks of 50 ms, from random clients into random rooms.
    for (let k = 0; k < Math.ceil(rate / 20); k++) {
      const d = list[Math.floor(Math.random() * clients)]!;
      if (!d.connected) continue;
      d.publish(`rooms/${Math.floor(Math.random() * 100)}/t`, published % 2 ? 1 : 0);
      published++;
    }
  }, 50);
  const started = Date.now();
  const cpuAtStart = { broker: cpuSecondsOf(pid), driver: process.cpuUsage() };
  let exited = false;
  void broker.exited.then(() => (exited = true));
  while (Date.now() - started < seconds * 1000 && !exited) {
    const before = probe.received;
    const t = performance.now();
    probe.publish('probe/echo', 0);
    while (probe.received === before && performance.now() - t < 5000) await sleep(2);
    rtts.push(performance.now() - t);
    rss.push(rssOf(pid));
    samples.push(`${Math.round((Date.now() - started) / 1000)}s ${mib(rss[rss.length - 1]!)} rtt ${rtts[rtts.length - 1]!.toFixed(1)}ms`);
    await sleep(1000 - Math.min(999, performance.now() - t));
  }
  clearInterval(publisher);
  lag.disable();
  const elapsed = (Date.now() - started) / 1000;
  const brokerCpu = exited ? NaN : (cpuSecondsOf(pid) - cpuAtStart.broker) / elapsed;
  const driverUsage = process.cpuUsage(cpuAtStart.driver);
  const driverCpu = (driverUsage.user + driverUsage.system) / 1e6 / elapsed;
  const received = list.reduce((n, d) => n + d.received, 0);
  const stillConnected = list.filter((d) => d.connected && !d.closed).length;
  const sorted = [...rtts].sort((a, b) => a - b);
  const third = Math.floor(rss.length / 3);
  const firstThird = rss.slice(0, third).reduce((a, b) => a + b, 0) / Math.max(1, third);
  const lastThird = rss.slice(-third).reduce((a, b) => a + b, 0) / Math.max(1, third);
  console.log([
    `samples (every second: broker RSS, round trip through the broker):`,
    ...samples.filter((_, i) => i % 10 === 0).map((s) => `  ${s}`),
    `published ${published} (${Math.round(published / seconds)}/s), deliveries ${received} (expected about ${Math.round(published * clients / 100)}); clients still connected ${stillConnected}/${clients}; broker ${exited ? 'DIED' : 'up'}`,
    `(RSS and round trip are the broker's; the event-loop lag below is the soak driver's own, which runs all ${clients} clients)`,
    `broker RSS: start ${mib(rss[0] ?? 0)}, max ${mib(Math.max(...rss))}, end ${mib(rss[rss.length - 1] ?? 0)}; mean of first third ${mib(firstThird)}, last third ${mib(lastThird)} (trend ${(((lastThird - firstThird) / firstThird) * 100).toFixed(1)} %)`,
    `round trip through the broker: p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, p99 ${sorted[Math.floor(sorted.length * 0.99)]?.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms`,
    `soak driver event-loop lag: p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms`,
    `CPU (share of one core): broker ${(brokerCpu * 100).toFixed(0)} %, soak driver ${(driverCpu * 100).toFixed(0)} % (a driver near 100 % means the publish rate is the driver's limit, not the broker's)`,
  ].join('\n'));
  const alive = !exited;
  // SIGTERM with every client still connected: how long a graceful stop takes under this load.
  const stopping = performance.now();
  await broker.kill('SIGTERM');
  console.log(`broker exited ${((performance.now() - stopping) / 1000).toFixed(1)} s after SIGTERM with ${stillConnected} clients connected`);
  for (const d of list) d.destroy();
  probe.destroy();
  const flat = lastThird < firstThird * 1.25;
  if (!flat) console.log('FAIL: broker RSS grew by more than 25 % from the first third of the run to the last');
  return alive && stillConnected === clients && flat;
}

async function storm(clients: number): Promise<boolean> {
  // A fixed port, so the restarted broker is where the clients reconnect.
  const [port] = (await freePorts(1)) as [number];
  let broker: ChildBroker = await spawnBroker(['--port', String(port), '--log-level', 'info'], 60_000);
  const list = Array.from({ length: clients }, (_, i) => new Device(`storm-${i}`, i % 2 ? 5 : 4, 'tcp'));
  await openAll(list, { tcpPort: port, wsPort: undefined });
  await broker.kill('SIGKILL');
  const restart = performance.now();
  broker = await spawnBroker(['--port', String(port), '--log-level', 'info'], 60_000);
  const listening = performance.now() - restart;
  // Every client reconnects at once with full-jitter backoff (0-1 s), as ours does after a drop.
  const t = performance.now();
  let back = 0;
  await Promise.all(list.map(async (d) => {
    for (let attempt = 0; attempt < 10; attempt++) {
      await sleep(Math.random() * Math.min(8000, 1000 * 2 ** attempt));
      const fresh = new Device(d.id, d.version, 'tcp');
      try {
        await fresh.open({ tcpPort: port, wsPort: undefined });
        back++;
        fresh.destroy();
        return;
      } catch {
        fresh.destroy();
      }
    }
  }));
  const ms = performance.now() - t;
  console.log(`\n== connection storm: broker kill -9 and restart under ${clients} clients: listening again after ${(listening / 1000).toFixed(1)} s (tsx start-up), ${back}/${clients} reconnected ${(ms / 1000).toFixed(1)} s after that ==`);
  for (const d of list) d.destroy();
  await broker.kill('SIGTERM');
  return back === clients;
}

/** Drop episodes mosquitto logged (once each time a client's queue, max_queued_messages, starts overflowing). */
const mosquittoDrops = (logs: string): number => logs.split('Outgoing messages are being dropped').length - 1;

async function faults(n: number): Promise<boolean> {
  let ok = true;
  const targets = list('targets', ['mosquitto', 'mqttkit']);
  const versions = list('versions', ['4', '5']).map((v) => (v === '5' ? 5 : 4) as 4 | 5);
  const seed = option('seed', 1000);
  const mosquitto = await startMosquitto({ persistence: true });
  const ours = await createBroker({ port: false, wsPort: 0, sysInterval: 0, logger: createLogger('silent') });
  try {
    for (const [label, wsPort, wsPath] of [['mosquitto', mosquitto.wsPort, '/'], ['mqttkit', ours.ports.ws!, '/mqtt']] as const) {
      if (!targets.includes(label)) continue;
      for (const version of versions) {
        const droppedBefore = label === 'mosquitto' ? mosquittoDrops(mosquitto.logs()) : ours.stats.messagesDropped;
        const r = await runDeliveryUnderFaults({ wsPort, wsPath, version, n, seed: seed + version, faults: { ...SOME_FAULTS, drop: 0.6, dropAfter: [1, 20_000] }, cutEvery: 500, timeoutMs: option('timeout', 600) * 1000 });
        const dropped = (label === 'mosquitto' ? mosquittoDrops(mosquitto.logs()) : ours.stats.messagesDropped) - droppedBefore;
        console.log(`\n== faults ==\n${deliveryReport(`${label} v${version}`, r)}\n  broker: ${label === 'mosquitto' ? `${dropped} drop episodes logged ("Outgoing messages are being dropped")` : `${dropped} messages dropped`}`);
        // The verdict is ours; mosquitto's figures are the reference (its reordering is its own: see
        // test/faults/delivery-under-faults.test.ts).
        if (label === 'mqttkit') ok &&= r.lost.qos1 === 0 && r.lost.qos2 === 0 && r.duplicates.qos2 === 0 && r.outOfOrder.qos1 === 0 && r.outOfOrder.qos2 === 0 && r.rejectedPublishes === 0;
      }
    }
  } finally {
    await mosquitto.stop();
    await ours.close();
  }
  return ok;
}

const results: Record<string, boolean> = {};
if (only.includes('soak')) results.soak = await soak(option('clients', 2000), option('seconds', 150), option('rate', 200));
if (only.includes('storm')) results.storm = await storm(option('storm', 1000));
if (only.includes('faults')) results.faults = await faults(option('faults', 10_000));
if (only.includes('kill9')) results.kill9 = await runKill9(option('seed', 7), option('kills', 5));
console.log(`\nsoak results: ${Object.entries(results).map(([k, v]) => `${k} ${v ? 'ok' : 'FAILED'}`).join(', ')}`);
process.exitCode = Object.values(results).every(Boolean) ? 0 : 1;
