/**
 * Codec throughput, ours vs mqtt-packet, side by side in one run: encode + decode of (a) a 64-byte QoS 0
 * PUBLISH at 3.1.1, (b) a 1 KB QoS 1 PUBLISH with 5.0 properties, (c) a SUBSCRIBE with 5 filters at 5.0.
 * Each side encodes a packet and pushes the bytes through a long-lived streaming decoder, as a connection would.
 * Rounds alternate between the two sides; the median round is reported.
 */
import mqttPacket from 'mqtt-packet';
import { encode, PacketDecoder, type Packet, type ProtocolVersion } from '../packages/core/src/codec/index.ts';
import { printTable } from './table.ts';

interface Scenario {
  name: string;
  version: ProtocolVersion;
  ours: Packet;
  theirs: mqttPacket.Packet;
}

const text = (n: number, c = 'x'): string => c.repeat(n);

function scenarios(): Scenario[] {
  // (a) 64 bytes on the wire: 2 header + 2 + 14 topic + 46 payload.
  const topicA = 'sensors/t/0001';
  const payloadA = new Uint8Array(64 - 2 - 2 - topicA.length).fill(0x41);
  const payloadB = new Uint8Array(1024).fill(0x42);
  const propsB = {
    payloadFormatIndicator: 1,
    messageExpiryInterval: 3600,
    contentType: 'application/json',
    responseTopic: 'replies/client-42',
    correlationData: new Uint8Array(16).fill(7),
    userProperties: [['source', 'bench'], ['unit', 'celsius']] as [string, string][],
  };
  const filters = ['home/+/temperature', 'home/+/humidity', 'alerts/#', '$SYS/broker/load/#', 'devices/42/cmd'];
  return [
    {
      name: '(a) PUBLISH QoS 0, 64 B, 3.1.1',
      version: 4,
      ours: { type: 'publish', topic: topicA, payload: payloadA, qos: 0, retain: false, dup: false },
      theirs: { cmd: 'publish', topic: topicA, payload: Buffer.from(payloadA), qos: 0, retain: false, dup: false },
    },
    {
      name: '(b) PUBLISH QoS 1, 1 KB, 5.0 properties',
      version: 5,
      ours: { type: 'publish', topic: 'home/kitchen/sensor/1', payload: payloadB, qos: 1, retain: false, dup: false, packetId: 42, properties: propsB },
      theirs: {
        cmd: 'publish', topic: 'home/kitchen/sensor/1', payload: Buffer.from(payloadB), qos: 1, retain: false, dup: false, messageId: 42,
        properties: { ...propsB, payloadFormatIndicator: true, correlationData: Buffer.from(propsB.correlationData), userProperties: { source: 'bench', unit: 'celsius' } },
      },
    },
    {
      name: '(c) SUBSCRIBE, 5 filters, 5.0',
      version: 5,
      ours: { type: 'subscribe', packetId: 7, subscriptions: filters.map((filter) => ({ filter, qos: 1 as const, noLocal: false, retainAsPublished: false, retainHandling: 0 as const })) },
      theirs: { cmd: 'subscribe', messageId: 7, subscriptions: filters.map((topic) => ({ topic, qos: 1 as const, nl: false, rap: false, rh: 0 })) },
    },
  ];
}

/** This process's CPU time in ms: on a shared machine it is steadier than wall time. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `step` in batches for `ms` milliseconds of CPU time; returns operations per CPU second. */
function measure(step: () => void, ms: number): number {
  let ops = 0;
  const start = cpuMs();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 1000; i++) step();
    ops += 1000;
    now = cpuMs();
  }
  return (ops * 1000) / (now - start);
}

function oursStep(s: Scenario): () => void {
  const decoder = new PacketDecoder({ version: s.version });
  return () => {
    if (decoder.push(encode(s.ours, s.version)).length !== 1) throw new Error('ours: expected one packet');
  };
}

function theirsStep(s: Scenario): () => void {
  const parser = mqttPacket.parser({ protocolVersion: s.version });
  let seen = 0;
  parser.on('packet', () => seen++);
  const opts = { protocolVersion: s.version };
  return () => {
    const before = seen;
    parser.parse(mqttPacket.generate(s.theirs, opts));
    if (seen !== before + 1) throw new Error('mqtt-packet: expected one packet');
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function run(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const ms = Number(process.env.BENCH_MS ?? 300);
  console.log(`Codec: encode + decode, packets per CPU second (median of ${rounds} alternating rounds of ${ms} ms CPU; Node ${process.version})\n`);
  const rows = [['scenario', 'mqttkit', 'mqtt-packet 9', 'ratio']];
  for (const s of scenarios()) {
    const ours = oursStep(s);
    const theirs = theirsStep(s);
    measure(ours, 100);
    measure(theirs, 100);
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      a.push(measure(ours, ms));
      b.push(measure(theirs, ms));
    }
    rows.push([s.name, fmt(median(a)), fmt(median(b)), `${(median(a) / median(b)).toFixed(2)}×`]);
  }
  printTable(rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
