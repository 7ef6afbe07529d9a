/**
 * `kill -9` of the broker bin (SQLite store) at random moments while QoS 1, QoS 2 and retained messages flow,
 * restarted on the same port and file. A publisher and a subscriber with persistent sessions behave as a correct
 * client does (resend unacknowledged PUBLISH with DUP and PUBREL after a reconnect; drop a QoS 2 resend whose id
 * awaits PUBREL), and the subscriber never subscribes again after the first time. Counts: acknowledged messages
 * never delivered (must be 0), QoS 2 duplicates, retained values older than the last acknowledged one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnBroker, type ChildBroker } from '../../packages/broker/test/support/child-broker.ts';
import type { Packet, QoS } from '../../packages/core/src/codec/index.ts';
import { createRandom } from '../support/random.ts';
import { freePorts } from '../support/mosquitto.ts';
import { RawMqtt } from '../support/raw-mqtt.ts';

export interface CrashRun {
  seed: number;
  kills: number;
  /** Milliseconds of load before each kill, drawn in this range. */
  loadMs: readonly [number, number];
  /** Publishes in flight at once. */
  window: number;
  retainedTopics: number;
}

export interface CrashResult {
  kills: number;
  published: number;
  acknowledged: { qos1: number; qos2: number; retained: number };
  lostAcknowledged: number;
  lostExamples: string[];
  qos2Duplicates: number;
  qos1Duplicates: number;
  staleRetained: number;
  missingRetained: number;
  restartMs: number[];
  subscriptionSurvived: boolean;
  ms: number;
}

interface InFlight {
  seq: number;
  qos: QoS;
  topic: string;
  payload: Uint8Array;
  retain: boolean;
  /** QoS 2: PUBREC received (the broker owns it), PUBREL is what remains. */
  released: boolean;
}

const PREFIX = 'crash';

export async function runCrashUnderLoad(run: CrashRun): Promise<CrashResult> {
  const started = Date.now();
  const r = createRandom(run.seed);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-crash-'));
  const store = path.join(dir, 'broker.db');
  const [port] = (await freePorts(1)) as [number];
  const args = ['--port', String(port), '--store', store, '--log-level', 'info'];
  const result: CrashResult = {
    kills: 0, published: 0, acknowledged: { qos1: 0, qos2: 0, retained: 0 }, lostAcknowledged: 0, lostExamples: [], qos2Duplicates: 0, qos1Duplicates: 0,
    staleRetained: 0, missingRetained: 0, restartMs: [], subscriptionSurvived: true, ms: 0,
  };
  let broker: ChildBroker = await spawnBroker(args, 60_000);

  // Subscriber state that outlives connections, as a client's session store would.
  const received = new Map<string, number>(); // "qos/seq" → copies delivered to the application
  const awaitingRelease = new Set<number>(); // inbound QoS 2 packet ids between PUBLISH and PUBREL
  let connections = 0;
  let previousAwaiting = new Set<number>();
  const trace: string[] = [];
  const ackLog = new Map<number, string>(); // seq → the publisher's last ack for it (CRASH_DEBUG)
  const connectSubscriber = async (first: boolean): Promise<RawMqtt> => {
    const conn = ++connections;
    const onPacket = (packet: Packet): void => {
      if (process.env.CRASH_DEBUG && 'packetId' in packet) trace.push(`c${conn} ${packet.type} ${packet.packetId}${packet.type === 'publish' ? ` ${new TextDecoder().decode(packet.payload)}${packet.dup ? ' dup' : ''}` : ''}`);
      if (packet.type === 'pubrel') awaitingRelease.delete(packet.packetId);
      if (packet.type !== 'publish') return;
      if (packet.qos === 2) {
        if (awaitingRelease.has(packet.packetId!)) {
          if (process.env.CRASH_DEBUG) console.log('dedup drop', packet.packetId, new TextDecoder().decode(packet.payload), packet.dup, '\n', trace.filter((t) => t.split(' ')[2] === String(packet.packetId)).slice(-8).join(' | '));
          return; // a resend of one we already have
        }
        awaitingRelease.add(packet.packetId!);
      }
      const key = `${packet.qos}/${new TextDecoder().decode(packet.payload)}`;
      received.set(key, (received.get(key) ?? 0) + 1);
    };
    // Set before the CONNECT goes out: the CONNACK's read may already hold PUBREL and PUBLISH resends.
    const { client, connack } = await RawMqtt.connect(broker.tcpPort, { protocolVersion: 5, clientId: `${PREFIX}-sub`, clean: first, properties: { sessionExpiryInterval: 3600 } }, { onPacket });
    if (!first && !connack.sessionPresent) result.subscriptionSurvived = false;
    if (first) {
      const granted = await client.subscribe(`${PREFIX}/data/#`, 2);
      if (granted[0] !== 2) throw new Error(`subscription granted ${granted.join()}`);
    }
    return client;
  };

  // Publisher state that outlives connections.
  const inflight = new Map<number, InFlight>(); // packet id → message, in send order
  const acked = new Set<string>(); // "qos/seq" the broker acknowledged (PUBACK, or PUBREC for QoS 2)
  const lastAckedRetained = new Map<string, number>();
  let nextId = 1;
  let seq = 0;
  let publisher: RawMqtt | undefined;
  const connectPublisher = async (): Promise<RawMqtt> => {
    const { client } = await RawMqtt.connect(broker.tcpPort, { protocolVersion: 5, clientId: `${PREFIX}-pub`, clean: false, properties: { sessionExpiryInterval: 3600 } }, { autoAck: false });
    client.onPacket = (packet: Packet) => {
      if (packet.type !== 'puback' && packet.type !== 'pubrec' && packet.type !== 'pubcomp') return;
      const message = inflight.get(packet.packetId);
      if (!message) return;
      if (process.env.CRASH_DEBUG) ackLog.set(message.seq, `${packet.type} ${packet.packetId} rc=${packet.reasonCode ?? 0}`);
      if (packet.type === 'pubrec') {
        if ((packet.reasonCode ?? 0) < 0x80) {
          message.released = true;
          markAcked(message);
          client.send({ type: 'pubrel', packetId: packet.packetId });
        } else inflight.delete(packet.packetId);
        return;
      }
      if (packet.type === 'puback' && (packet.reasonCode ?? 0) < 0x80) markAcked(message);
      inflight.delete(packet.packetId);
    };
    // A correct client after a reconnect: every unacknowledged PUBLISH again (DUP), every PUBREL again.
    for (const [packetId, m] of inflight) {
      if (m.released) client.send({ type: 'pubrel', packetId });
      else client.send({ type: 'publish', topic: m.topic, payload: m.payload, qos: m.qos, retain: m.retain, dup: true, packetId });
    }
    return client;
  };
  const markAcked = (m: InFlight): void => {
    if (m.retain) {
      result.acknowledged.retained++;
      lastAckedRetained.set(m.topic, Math.max(lastAckedRetained.get(m.topic) ?? -1, m.seq));
      return;
    }
    acked.add(`${m.qos}/${m.seq}`);
    if (m.qos === 1) result.acknowledged.qos1++;
    else result.acknowledged.qos2++;
  };

  let subscriber = await connectSubscriber(true);
  publisher = await connectPublisher();
  let loading = true;
  const load = async (): Promise<void> => {
    while (loading) {
      const client = publisher;
      if (!client || client.isClosed) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      if (inflight.size >= run.window) {
        await client.until(() => inflight.size < run.window || client.isClosed || !loading, 'window', 60_000).catch(() => {});
        continue;
      }
      const n = seq++;
      const retain = n % 10 === 0;
      const qos: QoS = retain ? 1 : n % 2 === 0 ? 1 : 2;
      const topic = retain ? `${PREFIX}/retained/${n % run.retainedTopics}` : `${PREFIX}/data/${n % 4}`;
      while (inflight.has(nextId)) nextId = (nextId % 65_535) + 1;
      const message: InFlight = { seq: n, qos, topic, payload: new TextEncoder().encode(String(n)), retain, released: false };
      inflight.set(nextId, message);
      client.send({ type: 'publish', topic, payload: message.payload, qos, retain, dup: false, packetId: nextId });
      result.published++;
      if (n % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    }
  };

  try {
    for (let kill = 0; kill < run.kills; kill++) {
      const loader = load();
      await new Promise((resolve) => setTimeout(resolve, r.range(run.loadMs[0], run.loadMs[1])));
      await broker.kill('SIGKILL');
      result.kills++;
      loading = false;
      await loader;
      loading = true;
      await Promise.all([subscriber.waitClosed(10_000), publisher.waitClosed(10_000)]).catch(() => {});
      if (process.env.CRASH_DEBUG) {
        const { default: Database } = await import('better-sqlite3');
        const db = new Database(store);
        const rows = db.prepare("SELECT seq, state, packet_id, qos, CAST(payload AS TEXT) AS p FROM messages WHERE client_id = 'crash-sub'").all() as { packet_id: number }[];
        const stale = [...awaitingRelease].filter((id) => previousAwaiting.has(id));
        console.log('after kill', result.kills, 'awaiting', awaitingRelease.size, 'stale from before the previous kill', stale.join(','), '\n db rows', rows.length, JSON.stringify(rows.slice(0, 2)));
        for (const id of stale.slice(0, 2)) console.log('  trace', id, trace.filter((t) => t.split(' ')[2] === String(id)).join(' | '));
        if (stale.length) console.log('  c-last start', trace.filter((t) => t.startsWith(`c${connections} `)).slice(0, 30).join(' | '));
        previousAwaiting = new Set(awaitingRelease);
        const inbound = (db.prepare("SELECT packet_id FROM inbound_qos2 WHERE client_id = 'crash-pub'").all() as { packet_id: number }[]).map((row) => row.packet_id);
        console.log('  publisher: inbound QoS 2 ids in the store', inbound.length, 'of which the publisher holds no exchange for', inbound.filter((id) => !inflight.has(id)).join(','));
        db.close();
      }
      const t = Date.now();
      broker = await spawnBroker(args, 60_000);
      result.restartMs.push(Date.now() - t);
      subscriber = await connectSubscriber(false);
      publisher = await connectPublisher();
    }
    // Settle: everything in flight completes, then every acknowledged message must be at the subscriber.
    await publisher.until(() => inflight.size === 0, 'the publisher in-flight window to empty', 30_000).catch(() => {});
    await subscriber.until(() => [...acked].every((key) => received.has(key)), 'every acknowledged message at the subscriber', 30_000).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300)); // duplicates still on their way
    for (const key of acked) {
      const copies = received.get(key) ?? 0;
      if (copies === 0) {
        result.lostAcknowledged++;
        if (result.lostExamples.length < 10) result.lostExamples.push(key);
      }
    }
    if (process.env.CRASH_DEBUG && result.lostAcknowledged > 0) {
      for (const key of result.lostExamples) {
        const n = key.split('/')[1]!;
        console.log('lost', key, 'ack', ackLog.get(Number(n)), 'trace', trace.filter((t) => t.split(' ')[3] === n).join(' | '));
      }
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(store, { readonly: true });
      const rows = db.prepare('SELECT client_id, seq, state, packet_id, qos, CAST(payload AS TEXT) AS p FROM messages').all();
      console.log('DB messages', rows.length, JSON.stringify(rows.slice(0, 40)));
      console.log('inbound', JSON.stringify(db.prepare('SELECT * FROM inbound_qos2').all()));
      db.close();
    }
    for (const [key, copies] of received) {
      if (copies > 1 && key.startsWith('2/')) result.qos2Duplicates += copies - 1;
      if (copies > 1 && key.startsWith('1/')) result.qos1Duplicates += copies - 1;
    }
    // Retained: a fresh subscriber gets, per topic, the last acknowledged value or a newer one.
    const { client: reader } = await RawMqtt.connect(broker.tcpPort, { protocolVersion: 5, clientId: `${PREFIX}-retained-reader` });
    const retained = new Map<string, number>();
    reader.onPublish = (p) => retained.set(p.topic, Number(new TextDecoder().decode(p.payload)));
    await reader.subscribe(`${PREFIX}/retained/#`, 1);
    await reader.until(() => [...lastAckedRetained.keys()].every((t) => retained.has(t)), 'retained messages', 5000).catch(() => {});
    for (const [topic, last] of lastAckedRetained) {
      const value = retained.get(topic);
      if (value === undefined) result.missingRetained++;
      else if (value < last) result.staleRetained++;
    }
    reader.destroy();
  } finally {
    loading = false;
    subscriber.destroy();
    publisher?.destroy();
    await broker.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    result.ms = Date.now() - started;
  }
  return result;
}

export function crashReport(r: CrashResult): string {
  const restart = [...r.restartMs].sort((a, b) => a - b);
  return [
    `kill -9 under load: ${r.kills} kills in ${(r.ms / 1000).toFixed(1)} s; ${r.published} publishes sent`,
    `  acknowledged: QoS 1 ${r.acknowledged.qos1}, QoS 2 ${r.acknowledged.qos2}, retained ${r.acknowledged.retained}`,
    `  acknowledged but never delivered: ${r.lostAcknowledged}${r.lostExamples.length ? ` (e.g. ${r.lostExamples.join(', ')})` : ''}; QoS 2 duplicates ${r.qos2Duplicates}; QoS 1 duplicates ${r.qos1Duplicates} (allowed)`,
    `  retained: ${r.missingRetained} missing, ${r.staleRetained} older than the last acknowledged; subscription kept across restarts: ${r.subscriptionSurvived}`,
    `  restart to listening (tsx start-up included): median ${restart[Math.floor(restart.length / 2)] ?? 0} ms, max ${restart[restart.length - 1] ?? 0} ms`,
  ].join('\n');
}
