/**
 * QoS 1 and QoS 2 delivery through a faulty network: a publisher and a subscriber, both `MqttClient`s with
 * persistent sessions over WebSocket, each behind the fault proxy (cuts mid-packet, stalls, delays, split and
 * merged writes), plus forced cuts of every connection at intervals. Counts what arrives: every message at
 * least once (QoS 1) or exactly once (QoS 2), first arrivals in publish order per topic, every publish promise
 * resolved.
 */
import WebSocket from 'ws';
import { MqttClient } from '../../packages/core/src/client/index.ts';
import type { ClientOptions, ClientState, Message } from '../../packages/core/src/client/types.ts';
import type { ProtocolVersion, QoS } from '../../packages/core/src/codec/index.ts';
import { NO_FAULTS, startFaultProxy, type FaultCounts, type Faults } from '../support/fault-proxy.ts';

export interface DeliveryRun {
  /** Where the broker's WebSocket listener is (host 127.0.0.1). */
  wsPort: number;
  /** Path of the WebSocket endpoint (`/mqtt` for ours; mosquitto takes any). */
  wsPath: string;
  version: ProtocolVersion;
  /** Messages per QoS level. */
  n: number;
  seed: number;
  faults: Partial<Faults>;
  /**
   * Cut every connection each time this many more messages have arrived for the first time (0: never). First
   * arrivals, not copies: counting resent copies too, a window larger than this is cut on every reconnect before
   * its acknowledgements get through, and the run livelocks on redeliveries.
   */
  cutEvery: number;
  /** Publishes issued and not yet settled at most (the application's own flow control). */
  window?: number;
  /** Topics per QoS level: order is checked per topic. */
  lanes?: number;
  /** Bound for the whole run, ms. */
  timeoutMs: number;
}

export interface DeliveryResult {
  n: number;
  ms: number;
  lost: { qos1: number; qos2: number };
  /** Extra copies of a message: allowed at QoS 1, forbidden at QoS 2. */
  duplicates: { qos1: number; qos2: number };
  /** First arrivals that came after a later message of the same topic. */
  outOfOrder: { qos1: number; qos2: number };
  rejectedPublishes: number;
  firstRejection: string | undefined;
  /**
   * QoS 2 publishes rejected with PUBCOMP 0x92 after a reconnect, though the broker had acknowledged them with
   * PUBREC and they arrived. 5.0 says 0x92 "is not an error during recovery": a client bug, counted apart.
   */
  reconnects: { publisher: number; subscriber: number };
  faults: FaultCounts;
  forcedCuts: number;
  /** Up to 10 lost message keys, for the report. */
  lostExamples: string[];
}

/** Counts transitions into `reconnecting`. */
function countReconnects(client: MqttClient): { count: number } {
  const counter = { count: 0 };
  let last: ClientState['status'] = client.state.getSnapshot().status;
  client.state.subscribe(() => {
    const status = client.state.getSnapshot().status;
    if (status === 'reconnecting' && last !== 'reconnecting') counter.count++;
    last = status;
  });
  return counter;
}

const until = async (ready: () => boolean, what: string, deadline: number): Promise<void> => {
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

export async function runDeliveryUnderFaults(run: DeliveryRun): Promise<DeliveryResult> {
  const started = Date.now();
  const deadline = started + run.timeoutMs;
  const beforeDeadline = async <T>(promise: Promise<T>, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${run.timeoutMs} ms waiting for ${what}; ${clientsNow()}`)), Math.max(0, deadline - Date.now()));
    });
    try {
      return await Promise.race([promise, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  const clientsNow = (): string =>
    (['publisher', 'subscriber'] as const)
      .map((name) => {
        const state = (name === 'publisher' ? publisher : subscriber).state.getSnapshot();
        return `${name} ${state.status}, ${state.queued} queued or in flight${state.error ? `, last error: ${state.error.message}` : ''}`;
      })
      .join('; ');
  const lanes = run.lanes ?? 4;
  const tag = `f${run.seed}v${run.version}`;
  const proxy = await startFaultProxy({ target: { port: run.wsPort }, seed: run.seed, faults: NO_FAULTS });
  const url = `ws://127.0.0.1:${proxy.port}${run.wsPath}`;
  const session = (clientId: string): ClientOptions => ({
    url,
    WebSocket: WebSocket as unknown as NonNullable<ClientOptions['WebSocket']>,
    protocolVersion: run.version,
    clientId,
    clean: false,
    ...(run.version === 5 ? { sessionExpiryInterval: 3600 } : {}),
    keepalive: 10,
    connectTimeout: 3000,
    reconnect: { minDelay: 10, maxDelay: 250, resetAfter: 1000 },
  });
  const subscriber = new MqttClient(session(`${tag}-sub`));
  const publisher = new MqttClient(session(`${tag}-pub`));
  const subReconnects = countReconnects(subscriber);
  const pubReconnects = countReconnects(publisher);

  // seen[qos][lane][seq] = copies received; firstOrder checks first arrivals per topic.
  const seen: Record<1 | 2, Uint16Array[]> = { 1: [], 2: [] };
  const lastFirst: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const result: DeliveryResult = {
    n: run.n, ms: 0, lost: { qos1: 0, qos2: 0 }, duplicates: { qos1: 0, qos2: 0 }, outOfOrder: { qos1: 0, qos2: 0 },
    rejectedPublishes: 0, firstRejection: undefined, reconnects: { publisher: 0, subscriber: 0 }, faults: proxy.counts, forcedCuts: 0, lostExamples: [],
  };
  for (const q of [1, 2] as const) {
    for (let lane = 0; lane < lanes; lane++) {
      seen[q].push(new Uint16Array(Math.ceil(run.n / lanes)));
      lastFirst[q].push(-1);
    }
  }
  const onMessage = (message: Message): void => {
    const [, level, laneText] = message.topic.split('/');
    const q = level === 'q2' ? 2 : 1;
    const lane = Number(laneText);
    const seq = Number(new TextDecoder().decode(message.payload));
    const copies = seen[q][lane]!;
    const index = Math.floor(seq / lanes);
    const first = copies[index]! === 0;
    if (first) {
      if (seq < lastFirst[q][lane]!) result.outOfOrder[q === 1 ? 'qos1' : 'qos2']++;
      lastFirst[q][lane] = seq;
    }
    copies[index]!++;
    // Forced cuts while messages flow, both connections at once, mid-stream.
    if (first && run.cutEvery > 0 && ++received % run.cutEvery === 0) {
      setImmediate(() => {
        proxy.dropAll();
        result.forcedCuts++;
      });
    }
  };
  let received = 0;

  try {
    await subscriber.connect();
    const granted = await subscriber.subscribe(`${tag}/#`, onMessage, { qos: 2 }).ready;
    if (granted !== 2) throw new Error(`subscription granted QoS ${granted}`);
    await publisher.connect();
    proxy.setFaults(run.faults);

    // Publish in order, both levels interleaved, at most `window` unsettled; every promise must resolve.
    const pending: Promise<void>[] = [];
    const window = run.window ?? 100;
    for (let seq = 0; seq < run.n; seq++) {
      for (const q of [1, 2] as QoS[]) {
        const lane = seq % lanes;
        pending.push(publisher.publish(`${tag}/q${q}/${lane}`, String(seq), { qos: q }).catch((error: unknown) => {
          result.rejectedPublishes++;
          result.firstRejection ??= String(error);
        }));
      }
      // A publish that never settles must end the run at the deadline, not hang it.
      if (pending.length > window) await beforeDeadline(pending[pending.length - window]!, `a publish ${window} back to settle (sequence ${seq} of ${run.n} issued)`);
    }
    await beforeDeadline(Promise.all(pending), 'every publish promise to settle');
    // Calm network: everything still in flight must now arrive.
    proxy.setFaults(NO_FAULTS);
    const complete = () => ([1, 2] as const).every((q) => seen[q].every((copies, lane) => copies.every((c, i) => c > 0 || i * lanes + lane >= run.n)));
    await until(complete, 'every message at the subscriber', deadline).catch(() => {});
    // Wait out redeliveries still on the way (a QoS 2 duplicate would show up here).
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    result.ms = Date.now() - started;
    result.reconnects = { publisher: pubReconnects.count, subscriber: subReconnects.count };
    for (const q of [1, 2] as const) {
      const key = q === 1 ? 'qos1' : 'qos2';
      seen[q].forEach((copies, lane) =>
        copies.forEach((c, i) => {
          const seq = i * lanes + lane;
          if (seq >= run.n) return;
          if (c === 0) {
            result.lost[key]++;
            if (result.lostExamples.length < 10) result.lostExamples.push(`q${q}/${lane}#${seq}`);
          } else result.duplicates[key] += c - 1;
        }),
      );
    }
    proxy.setFaults(NO_FAULTS);
    await Promise.allSettled([publisher.close(), subscriber.close()]);
    await proxy.close();
  }
  return result;
}

export function deliveryReport(label: string, r: DeliveryResult): string {
  return [
    `${label}: ${r.n} QoS 1 + ${r.n} QoS 2 in ${(r.ms / 1000).toFixed(1)} s`,
    `  lost QoS 1 ${r.lost.qos1}, QoS 2 ${r.lost.qos2}${r.lostExamples.length ? ` (e.g. ${r.lostExamples.join(', ')})` : ''}; QoS 2 duplicates ${r.duplicates.qos2}; QoS 1 duplicates ${r.duplicates.qos1} (allowed)`,
    `  out of order (first arrivals per topic) QoS 1 ${r.outOfOrder.qos1}, QoS 2 ${r.outOfOrder.qos2}; publish promises rejected ${r.rejectedPublishes}${r.firstRejection ? ` (${r.firstRejection})` : ''}`,
    `  cuts: ${r.faults.drops} (${r.forcedCuts} forced), stalls ${r.faults.stalls}, delays ${r.faults.delays}, splits ${r.faults.splits}, merges ${r.faults.merges}; connections ${r.faults.connections}; reconnects publisher ${r.reconnects.publisher}, subscriber ${r.reconnects.subscriber}`,
  ].join('\n');
}
