/**
 * Client throughput, ours vs MQTT.js, through the same Debian mosquitto over WebSocket, in one run: a publisher
 * sends 10,000 messages with a 64-byte payload to a subscriber, at QoS 0 and QoS 1 (`ws` underneath both on
 * Node). MQTT.js runs at 3.1.1, its default: at 5.0 it ignores mosquitto's Receive Maximum (20) and its QoS 1
 * run never completes. Ours runs at both versions with its defaults (at most 20 QoS 1 in flight either way).
 * Measured: from the first publish until the subscriber has every message and every publish promise settled.
 * Rounds alternate between the clients; the median of three rounds is reported, with the ratio. `CPU ms` is this
 * process's CPU time (user + system, both clients, not mosquitto) in the same median round: on a loaded machine the
 * wall time of a windowed QoS 1 run is mostly waiting for the broker to be scheduled, the CPU time is not.
 */
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { MqttClient } from '../packages/core/src/client/index.ts';
import { startMosquitto, type Mosquitto } from '../test/support/mosquitto.ts';
import { printTable } from './table.ts';

const COUNT = 10_000;
const ROUNDS = 3;
const PAYLOAD = new Uint8Array(64).fill(0x41);
/** A round that has not finished by then failed (mosquitto dropped something, or a client stalled). */
const ROUND_TIMEOUT_MS = 60_000;

type Qos = 0 | 1;
/** One round: elapsed wall milliseconds and this process's CPU milliseconds meanwhile. */
interface Timing {
  ms: number;
  cpuMs: number;
}

interface Side {
  name: string;
  round(broker: Mosquitto, qos: Qos, topic: string): Promise<Timing>;
}

/** Times `work` in wall and CPU milliseconds. */
async function timed(work: () => Promise<unknown>): Promise<Timing> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

function deadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ROUND_TIMEOUT_MS} ms`)), ROUND_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const ours = (protocolVersion: 4 | 5): Side => ({
  name: `@mqttkit/core ${protocolVersion === 5 ? '5.0' : '3.1.1'}`,
  async round(broker, qos, topic) {
    const subscriber = new MqttClient({ url: broker.wsUrl, WebSocket, reconnect: false, protocolVersion });
    const publisher = new MqttClient({ url: broker.wsUrl, WebSocket, reconnect: false, protocolVersion });
    try {
      await Promise.all([subscriber.connect(), publisher.connect()]);
      let received = 0;
      let done!: () => void;
      const all = new Promise<void>((resolve) => (done = resolve));
      await subscriber.subscribe(topic, () => {
        if (++received === COUNT) done();
      }, { qos }).ready;
      return await timed(() => {
        const sent: Promise<void>[] = [];
        for (let i = 0; i < COUNT; i++) sent.push(publisher.publish(topic, PAYLOAD, { qos }));
        return deadline(Promise.all([all, ...sent]), `${this.name} QoS ${qos}`);
      });
    } finally {
      await Promise.all([subscriber.close(), publisher.close()]);
    }
  },
});

const mqttjs: Side = {
  name: 'MQTT.js 5 (3.1.1)',
  async round(broker, qos, topic) {
    const options = { protocolVersion: 4 as const, reconnectPeriod: 0 };
    const subscriber = await mqtt.connectAsync(broker.wsUrl, options);
    const publisher = await mqtt.connectAsync(broker.wsUrl, options);
    try {
      let received = 0;
      let done!: () => void;
      const all = new Promise<void>((resolve) => (done = resolve));
      subscriber.on('message', () => {
        if (++received === COUNT) done();
      });
      await subscriber.subscribeAsync(topic, { qos });
      const payload = Buffer.from(PAYLOAD);
      return await timed(() => {
        const sent: Promise<unknown>[] = [];
        for (let i = 0; i < COUNT; i++) sent.push(publisher.publishAsync(topic, payload, { qos }));
        return deadline(Promise.all([all, ...sent]), `${this.name} QoS ${qos}`);
      });
    } finally {
      await Promise.all([subscriber.endAsync(true), publisher.endAsync(true)]);
    }
  },
};

/** The round with the median wall time. */
function median(values: Timing[]): Timing {
  const sorted = [...values].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor(sorted.length / 2)] as Timing;
}

export async function run(): Promise<void> {
  // mosquitto's default max_queued_messages (1,000) drops QoS 1 messages from a publisher that does not keep
  // a window (MQTT.js sends all 10,000 at once); raise it so every client can finish and only speed is compared.
  const broker = await startMosquitto({ extraConfig: ['max_queued_messages 100000'] });
  try {
    console.log(`Client throughput via mosquitto over WebSocket: ${COUNT.toLocaleString('en')} x 64 B, publisher -> subscriber, median of ${ROUNDS}\n`);
    const rows: string[][] = [['QoS', 'client', 'msg/s', 'ms', 'vs MQTT.js', 'CPU ms', 'CPU vs MQTT.js']];
    const sides = [ours(5), ours(4), mqttjs];
    for (const qos of [0, 1] as const) {
      const times = new Map<Side, Timing[]>(sides.map((side) => [side, []]));
      for (let round = 0; round < ROUNDS; round++) {
        // Rotate who goes first, so no side always runs on a warmer broker.
        const order = sides.map((_, i) => sides[(i + round) % sides.length] as Side);
        for (const [i, side] of order.entries()) times.get(side)?.push(await side.round(broker, qos, `bench/${qos}/${round}/${i}`));
      }
      const theirs = median(times.get(mqttjs) ?? []);
      const rate = (ms: number) => Math.round((COUNT / ms) * 1000).toLocaleString('en');
      for (const side of sides) {
        const { ms, cpuMs } = median(times.get(side) ?? []);
        rows.push([
          String(qos),
          side.name,
          rate(ms),
          ms.toFixed(0),
          `${(theirs.ms / ms).toFixed(2)}x`,
          cpuMs.toFixed(0),
          `${(theirs.cpuMs / cpuMs).toFixed(2)}x`,
        ]);
      }
    }
    printTable(rows);
  } finally {
    await broker.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
