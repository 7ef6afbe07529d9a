/**
 * Fuzzes a broker's connection handling over real TCP: many concurrent connections send random bytes, valid
 * and mutated packet sequences (CONNECT first, then client packets of every kind), each ended by a PINGREQ.
 * Our decoder plus the broker rules (`broker-oracle.ts`) predict each answer: PINGRESP, DISCONNECT with a reason
 * code, a refusal, or the client's own close. Meanwhile a well-behaved publisher and subscriber exchange QoS 1
 * messages: every one must arrive, in order. Connections are derived from (seed, index) and replayable.
 */
import { encode, type Packet, type PacketType, type ProtocolVersion } from '../../packages/core/src/codec/index.ts';
import { concat } from '../../packages/core/test/codec/helpers.ts';
import { createRandom, type Random } from '../support/random.ts';
import { connectProtocolLevel } from '../../packages/broker/src/wire.ts';
import { RawMqtt } from '../support/raw-mqtt.ts';
import { predict, type Prediction } from './broker-oracle.ts';
import { MUTATION_NAMES, MUTATIONS } from './mutate.ts';
import { randomPacket } from './packets.ts';

export interface BrokerFuzzOptions {
  port: number;
  seed: number;
  connections: number;
  /** Connections open at once. */
  concurrency: number;
  /** Stop starting connections after this long. */
  maxMs: number;
  /** The broker's maximum packet size (its CONNACK says so; 1 MiB for mqttkit's default). */
  maximumPacketSize?: number;
  /** Called about once a second while the run lasts (memory sampling). */
  onTick?: () => void;
}

export interface BrokerFuzzFailure {
  index: number;
  scenario: string;
  expected: string;
  got: string;
  /** The first bytes sent, hex. */
  input: string;
}

export interface BrokerFuzzStats {
  connections: number;
  bytesSent: number;
  scenarios: Map<string, number>;
  /** Prediction kind (and code) → count: what the fuzz reached. */
  outcomes: Map<string, number>;
  failures: BrokerFuzzFailure[];
  observer: { published: number; received: number; outOfOrder: number; closed: boolean };
  ms: number;
}

/** Client → server packet types, weighted; server packets and a second CONNECT are rare on purpose. */
const FOLLOW_UPS: PacketType[] = ['publish', 'publish', 'publish', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'subscribe', 'unsubscribe', 'pingreq', 'pingreq', 'disconnect', 'auth', 'connect', 'suback'];
const PINGREQ = new Uint8Array([0xc0, 0x00]);
const MAX_FAILURES = 50;

const inputSeed = (seed: number, index: number): number => Math.imul(seed ^ 0x27d4eb2f, 0x165667b1) ^ Math.imul(index + 1, 0x9e3779b1);

/** A CONNECT that leaves nothing behind: clean, no session expiry, a client id unique to this connection. */
function connectPacket(r: Random, v: ProtocolVersion, clientId: string): Packet {
  const packet = randomPacket(r, 'connect', v) as Extract<Packet, { type: 'connect' }>;
  packet.clientId = clientId;
  packet.clean = true;
  packet.keepalive = r.pick([0, 60]);
  if (packet.properties) {
    delete packet.properties.sessionExpiryInterval;
    delete packet.properties.maximumPacketSize;
    if (r.chance(0.9)) {
      delete packet.properties.authenticationMethod;
      delete packet.properties.authenticationData;
    }
  }
  return packet;
}

/** The bytes of connection `index` and the name of its scenario. */
export function attackStream(seed: number, index: number): { scenario: string; stream: Uint8Array; chunks: number[] } {
  const r = createRandom(inputSeed(seed, index));
  const v: ProtocolVersion = r.chance(0.5) ? 4 : 5;
  let scenario: string;
  let segments: Uint8Array[];
  if (r.chance(0.15)) {
    scenario = 'random bytes';
    segments = [r.bytes(r.range(1, 600))];
  } else {
    // Ids must not be mutations of each other: `fz-11-860` with a byte inserted or truncated was another lane's
    // `fz-11-8601`, whose valid connection was then taken over. Fixed width plus a per-index tag rules that out.
    const clientId = `fz-${seed}-${String(index).padStart(7, '0')}-${(inputSeed(seed, index) >>> 0).toString(36).padStart(7, '0')}`;
    segments = [encode(connectPacket(r, v, clientId), v)];
    for (let n = r.int(6); n > 0; n--) {
      const type = r.pick(v === 4 ? FOLLOW_UPS.filter((t) => t !== 'auth') : FOLLOW_UPS);
      const packet = type === 'connect' ? connectPacket(r, v, `${clientId}-again`) : randomPacket(r, type, v);
      try {
        segments.push(encode(packet, v));
      } catch {
        // A rare draw the encoder refuses: leave it out.
      }
    }
    if (r.chance(0.8)) {
      const mutation = r.pick(MUTATION_NAMES);
      scenario = `mutated ${v === 4 ? '3.1.1' : '5.0'}: ${mutation}`;
      const at = r.int(segments.length);
      segments[at] = MUTATIONS[mutation]!(r, segments[at]!);
    } else {
      scenario = `valid ${v === 4 ? '3.1.1' : '5.0'}`;
    }
  }
  const stream = concat([...segments, PINGREQ]);
  const chunks: number[] = [];
  for (let left = stream.length; left > 0;) {
    const size = Math.min(left, r.chance(0.3) ? r.range(1, 8) : r.range(1, 2000));
    chunks.push(size);
    left -= size;
  }
  return { scenario, stream, chunks };
}

const describePacket = (p: Packet): string => `${p.type}${'reasonCode' in p && typeof p.reasonCode === 'number' ? ` 0x${p.reasonCode.toString(16)}` : ''}`;

const describePrediction = (p: Prediction): string => (p.kind === 'disconnect' ? `disconnect 0x${p.reasonCode.toString(16)} (${p.why})` : 'why' in p ? `${p.kind} (${p.why})` : p.kind);

/** Waits on the connection as the prediction says and returns what is wrong, or undefined. */
async function judge(client: RawMqtt, prediction: Prediction, v5: boolean): Promise<string | undefined> {
  const disconnects = () => client.received.filter((p) => p.type === 'disconnect');
  switch (prediction.kind) {
    case 'pingresp':
      await client.until(() => client.isClosed || client.received.some((p) => p.type === 'pingresp'), 'PINGRESP', 10_000);
      if (client.isClosed && !client.received.some((p) => p.type === 'pingresp')) return 'closed instead of answering PINGREQ';
      return disconnects().length ? 'DISCONNECT sent on a valid stream' : undefined;
    case 'disconnect': {
      await client.waitClosed(10_000);
      const codes = disconnects().map(describePacket);
      if (!v5) return codes.length ? 'a DISCONNECT sent to a 3.1.1 client' : undefined;
      // Another connection may take over a (mutated) client id meanwhile: 0x8E is not this connection's fault.
      if (codes.length === 1 && codes[0] === 'disconnect 0x8e') return undefined;
      return codes.length === 1 && codes[0] === `disconnect 0x${prediction.reasonCode.toString(16)}` ? undefined : `DISCONNECT codes [${codes.join(', ')}]`;
    }
    case 'client-disconnect': {
      await client.waitClosed(10_000);
      const codes = disconnects().map(describePacket);
      if (codes.length === 1 && codes[0] === 'disconnect 0x8e') return undefined;
      return codes.length ? 'a DISCONNECT answered the client\'s DISCONNECT' : undefined;
    }
    case 'refused':
      await client.waitClosed(10_000);
      return client.received.every((p) => p.type === 'connack' && p.reasonCode !== 0) ? undefined : 'not a refusal';
    case 'indeterminate':
      await client.until(() => client.isClosed || client.received.some((p) => p.type === 'pingresp'), 'a close or PINGRESP', 500).catch(() => {});
      return disconnects().every((p) => (p.reasonCode ?? 0) >= 0x80) ? undefined : 'DISCONNECT with a success code';
  }
}

async function attack(options: BrokerFuzzOptions, index: number, stats: BrokerFuzzStats): Promise<void> {
  const { scenario, stream, chunks } = attackStream(options.seed, index);
  const { prediction, connect, connectLength } = predict(stream, options.maximumPacketSize ?? 1024 * 1024);
  const key = prediction.kind === 'disconnect' ? `disconnect 0x${prediction.reasonCode.toString(16)}` : prediction.kind;
  stats.outcomes.set(key, (stats.outcomes.get(key) ?? 0) + 1);
  const scenarioKey = scenario.replace(/:.*/, '');
  stats.scenarios.set(scenarioKey, (stats.scenarios.get(scenarioKey) ?? 0) + 1);
  stats.connections++;
  stats.bytesSent += stream.length;
  // No automatic acknowledgements: they would land in the middle of the stream being written.
  const client = await RawMqtt.open(options.port, { autoAck: false });
  // Decode the broker's answer at the level it will use: the CONNECT's, or (unknown levels) 5 above 5, else 4.
  const level = connect?.protocolVersion ?? ((connectProtocolLevel(stream) ?? 0) > 5 ? 5 : 4);
  client.setVersion(level);
  let problem: string | undefined;
  try {
    // A valid CONNECT goes first and is answered before the rest, as a client would wait for its CONNACK.
    let at = 0;
    if (connect) {
      client.write(stream.subarray(0, connectLength));
      at = connectLength;
      await client.until(() => client.isClosed || client.received.length > 0, 'CONNACK', 10_000);
    }
    for (const size of chunks) {
      if (at >= stream.length) break;
      client.write(stream.subarray(at, at + size));
      at += size;
      if (size < 8) await new Promise((resolve) => setImmediate(resolve));
    }
    problem = await judge(client, prediction, level === 5);
  } catch (error) {
    problem = String(error);
  } finally {
    client.destroy();
  }
  if (client.decodeError !== undefined) problem = `the broker sent bytes that do not decode: ${String(client.decodeError)}`;
  if (problem !== undefined && stats.failures.length < MAX_FAILURES) {
    stats.failures.push({
      index,
      scenario,
      expected: describePrediction(prediction),
      got: `${problem}; received ${client.received.map(describePacket).join(', ') || 'nothing'}${client.isClosed ? ', closed' : ''}`,
      input: Buffer.from(stream.subarray(0, 200)).toString('hex'),
    });
  }
}

/** A publisher and a subscriber behaving well next to the attack: QoS 1, one topic per lane, checked in order. */
async function startObserver(port: number, seed: number) {
  const prefix = `observer-${seed}`;
  const { client: subscriber } = await RawMqtt.connect(port, { protocolVersion: 5, clientId: `${prefix}-sub` });
  const codes = await subscriber.subscribe(`${prefix}/#`, 1);
  if (codes[0] !== 1) throw new Error(`observer subscription refused: ${codes.join()}`);
  const { client: publisher } = await RawMqtt.connect(port, { protocolVersion: 4, clientId: `${prefix}-pub` });
  const state = { published: 0, received: 0, outOfOrder: 0, closed: false };
  const lastSeen = new Map<string, number>();
  subscriber.onPublish = (packet) => {
    const n = Number(new TextDecoder().decode(packet.payload));
    if (n <= (lastSeen.get(packet.topic) ?? -1)) state.outOfOrder++;
    lastSeen.set(packet.topic, n);
    state.received++;
  };
  let running = true;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      await publisher.publish(`${prefix}/lane${n % 3}`, String(n), 1, (n % 65_535) + 1);
      state.published++;
    }
  })();
  return {
    state,
    async stop(): Promise<void> {
      running = false;
      await loop;
      await subscriber.until(() => state.received >= state.published, `all ${state.published} observer messages`, 15_000).catch(() => {});
      state.closed = subscriber.isClosed || publisher.isClosed;
      subscriber.destroy();
      publisher.destroy();
    },
  };
}

/** Runs the attack with `concurrency` connections at a time next to the observer, and returns what happened. */
export async function fuzzBroker(options: BrokerFuzzOptions): Promise<BrokerFuzzStats> {
  const stats: BrokerFuzzStats = { connections: 0, bytesSent: 0, scenarios: new Map(), outcomes: new Map(), failures: [], observer: { published: 0, received: 0, outOfOrder: 0, closed: false }, ms: 0 };
  const started = performance.now();
  const observer = await startObserver(options.port, options.seed);
  const ticker = options.onTick ? setInterval(options.onTick, 1000) : undefined;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < options.connections && performance.now() - started < options.maxMs) await attack(options, next++, stats);
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, lane));
  } finally {
    clearInterval(ticker);
    await observer.stop();
  }
  stats.observer = observer.state;
  stats.ms = performance.now() - started;
  return stats;
}

/** Lines for a report. */
export function brokerFuzzReport(stats: BrokerFuzzStats): string[] {
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${String(n).padStart(7)}  ${k}`);
  const o = stats.observer;
  return [
    `connections       ${stats.connections.toLocaleString('en')} in ${(stats.ms / 1000).toFixed(1)} s (${Math.round(stats.connections / (stats.ms / 1000))}/s), ${(stats.bytesSent / 1024 / 1024).toFixed(1)} MiB sent`,
    'scenarios:',
    ...sorted(stats.scenarios),
    'predicted and checked outcomes:',
    ...sorted(stats.outcomes),
    `observer          ${o.published} QoS 1 published, ${o.received} received, ${o.outOfOrder} out of order, ${o.closed ? 'a connection CLOSED' : 'both connections up'}`,
    `failures          ${stats.failures.length}`,
    ...stats.failures.slice(0, 20).map((f) => `FAIL #${f.index} ${f.scenario}: expected ${f.expected}; got ${f.got}\n     input: ${f.input}`),
  ];
}
