import Database from 'better-sqlite3';
import type { Properties, ProtocolVersion, QoS, WillMessage } from '@mqttkit/core';
import type { BrokerMessage, Outgoing } from '../message.ts';
import type { SessionStore, StoredSession, StoredState, StoredSubscription, StoredWill } from './types.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  client_id TEXT PRIMARY KEY,
  expiry_interval INTEGER NOT NULL,
  disconnected_at INTEGER,
  username TEXT
);
CREATE TABLE IF NOT EXISTS subscriptions (
  client_id TEXT NOT NULL,
  filter TEXT NOT NULL,
  qos INTEGER NOT NULL,
  no_local INTEGER NOT NULL,
  retain_as_published INTEGER NOT NULL,
  retain_handling INTEGER NOT NULL,
  subscription_id INTEGER,
  PRIMARY KEY (client_id, filter)
);
CREATE TABLE IF NOT EXISTS messages (
  client_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  state TEXT NOT NULL,
  packet_id INTEGER,
  qos INTEGER NOT NULL,
  retain INTEGER NOT NULL,
  subscription_ids TEXT,
  topic TEXT NOT NULL,
  payload BLOB NOT NULL,
  message_qos INTEGER NOT NULL,
  message_retain INTEGER NOT NULL,
  properties TEXT,
  expires_at INTEGER,
  publisher_id TEXT,
  PRIMARY KEY (client_id, seq)
);
CREATE TABLE IF NOT EXISTS inbound_qos2 (
  client_id TEXT NOT NULL,
  packet_id INTEGER NOT NULL,
  PRIMARY KEY (client_id, packet_id)
);
CREATE TABLE IF NOT EXISTS wills (
  client_id TEXT PRIMARY KEY,
  will_id TEXT NOT NULL,
  username TEXT,
  protocol_version INTEGER NOT NULL,
  topic TEXT NOT NULL,
  payload BLOB NOT NULL,
  qos INTEGER NOT NULL,
  retain INTEGER NOT NULL,
  properties TEXT,
  due_at INTEGER
);
CREATE TABLE IF NOT EXISTS retained (
  topic TEXT PRIMARY KEY,
  payload BLOB NOT NULL,
  qos INTEGER NOT NULL,
  properties TEXT,
  expires_at INTEGER,
  publisher_id TEXT
);
`;

/** Properties as JSON, binary values tagged so they come back as Uint8Array. */
function propertiesToJson(properties: Properties | undefined): string | null {
  if (!properties) return null;
  return JSON.stringify(properties, (_key, value: unknown) => (value instanceof Uint8Array ? { $base64: Buffer.from(value).toString('base64') } : value));
}

function propertiesFromJson(text: string | null): Properties | undefined {
  if (text === null) return undefined;
  return JSON.parse(text, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && '$base64' in value ? new Uint8Array(Buffer.from((value as { $base64: string }).$base64, 'base64')) : value,
  ) as Properties;
}

interface MessageRow {
  client_id: string;
  seq: number;
  state: Outgoing['state'];
  packet_id: number | null;
  qos: number;
  retain: number;
  subscription_ids: string | null;
  topic: string;
  payload: Buffer;
  message_qos: number;
  message_retain: number;
  properties: string | null;
  expires_at: number | null;
  publisher_id: string | null;
}

function toMessage(row: { topic: string; payload: Buffer; properties: string | null; expires_at: number | null; publisher_id: string | null }, qos: number, retain: boolean): BrokerMessage {
  const message: BrokerMessage = { topic: row.topic, payload: new Uint8Array(row.payload), qos: qos as QoS, retain };
  const properties = propertiesFromJson(row.properties);
  if (properties) message.properties = properties;
  if (row.expires_at !== null) message.expiresAt = row.expires_at;
  if (row.publisher_id !== null) message.publisherId = row.publisher_id;
  return message;
}

/**
 * SQLite through better-sqlite3 in WAL mode. Every broker state change is one transaction committed before the
 * broker acknowledges anything; `synchronous=NORMAL` makes a commit survive the process being killed (`kill -9`),
 * though not a power cut (set `synchronous: 'FULL'` for that).
 */
export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly runInTransaction: (work: () => unknown) => unknown;

  constructor(path: string, options: { synchronous?: 'NORMAL' | 'FULL' } = {}) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.exec(SCHEMA);
    const db = this.db;
    // Files written before the username column existed.
    const columns = (db.prepare('PRAGMA table_info(sessions)').all() as { name: string }[]).map((c) => c.name);
    if (!columns.includes('username')) db.exec('ALTER TABLE sessions ADD COLUMN username TEXT');
    this.statements = {
      saveSession: db.prepare(
        'INSERT INTO sessions (client_id, expiry_interval, disconnected_at, username) VALUES (?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET expiry_interval = excluded.expiry_interval, disconnected_at = excluded.disconnected_at, username = excluded.username',
      ),
      deleteSession: [
        db.prepare('DELETE FROM sessions WHERE client_id = ?'),
        db.prepare('DELETE FROM subscriptions WHERE client_id = ?'),
        db.prepare('DELETE FROM messages WHERE client_id = ?'),
        db.prepare('DELETE FROM inbound_qos2 WHERE client_id = ?'),
      ],
      saveSubscription: db.prepare('INSERT OR REPLACE INTO subscriptions (client_id, filter, qos, no_local, retain_as_published, retain_handling, subscription_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      deleteSubscription: db.prepare('DELETE FROM subscriptions WHERE client_id = ? AND filter = ?'),
      saveMessage: db.prepare('INSERT OR REPLACE INTO messages (client_id, seq, state, packet_id, qos, retain, subscription_ids, topic, payload, message_qos, message_retain, properties, expires_at, publisher_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      updateMessage: db.prepare('UPDATE messages SET state = ?, packet_id = ? WHERE client_id = ? AND seq = ?'),
      deleteMessage: db.prepare('DELETE FROM messages WHERE client_id = ? AND seq = ?'),
      addInbound: db.prepare('INSERT OR IGNORE INTO inbound_qos2 (client_id, packet_id) VALUES (?, ?)'),
      deleteInbound: db.prepare('DELETE FROM inbound_qos2 WHERE client_id = ? AND packet_id = ?'),
      saveWill: db.prepare('INSERT OR REPLACE INTO wills (client_id, will_id, username, protocol_version, topic, payload, qos, retain, properties, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      deleteWill: db.prepare('DELETE FROM wills WHERE client_id = ? AND will_id = ?'),
      saveRetained: db.prepare('INSERT OR REPLACE INTO retained (topic, payload, qos, properties, expires_at, publisher_id) VALUES (?, ?, ?, ?, ?, ?)'),
      deleteRetained: db.prepare('DELETE FROM retained WHERE topic = ?'),
    };
    this.runInTransaction = db.transaction((work: () => unknown) => work());
  }

  load(): StoredState {
    const sessions = new Map<string, StoredSession>();
    for (const row of this.db.prepare('SELECT * FROM sessions').all() as { client_id: string; expiry_interval: number; disconnected_at: number | null; username: string | null }[]) {
      const session: StoredSession = { clientId: row.client_id, expiryInterval: row.expiry_interval, subscriptions: [], messages: [], inboundQos2: [] };
      if (row.username !== null) session.username = row.username;
      if (row.disconnected_at !== null) session.disconnectedAt = row.disconnected_at;
      sessions.set(row.client_id, session);
    }
    type SubscriptionRow = { client_id: string; filter: string; qos: number; no_local: number; retain_as_published: number; retain_handling: number; subscription_id: number | null };
    for (const row of this.db.prepare('SELECT * FROM subscriptions').all() as SubscriptionRow[]) {
      const subscription: StoredSubscription = {
        filter: row.filter,
        qos: row.qos as QoS,
        noLocal: row.no_local === 1,
        retainAsPublished: row.retain_as_published === 1,
        retainHandling: row.retain_handling as 0 | 1 | 2,
      };
      if (row.subscription_id !== null) subscription.subscriptionId = row.subscription_id;
      sessions.get(row.client_id)?.subscriptions.push(subscription);
    }
    for (const row of this.db.prepare('SELECT * FROM messages ORDER BY client_id, seq').all() as MessageRow[]) {
      const out: Outgoing = { seq: row.seq, message: toMessage(row, row.message_qos, row.message_retain === 1), qos: row.qos as QoS, retain: row.retain === 1, state: row.state };
      if (row.packet_id !== null) out.packetId = row.packet_id;
      if (row.subscription_ids !== null) out.subscriptionIds = JSON.parse(row.subscription_ids) as number[];
      sessions.get(row.client_id)?.messages.push(out);
    }
    for (const row of this.db.prepare('SELECT * FROM inbound_qos2').all() as { client_id: string; packet_id: number }[]) {
      sessions.get(row.client_id)?.inboundQos2.push(row.packet_id);
    }
    type RetainedRow = { topic: string; payload: Buffer; qos: number; properties: string | null; expires_at: number | null; publisher_id: string | null };
    const retained = (this.db.prepare('SELECT * FROM retained').all() as RetainedRow[]).map((row) => toMessage(row, row.qos, true));
    type WillRow = { client_id: string; will_id: string; username: string | null; protocol_version: number; topic: string; payload: Buffer; qos: number; retain: number; properties: string | null; due_at: number | null };
    const wills = (this.db.prepare('SELECT * FROM wills').all() as WillRow[]).map((row) => {
      const will: WillMessage = { topic: row.topic, payload: new Uint8Array(row.payload), qos: row.qos as QoS, retain: row.retain === 1 };
      const properties = propertiesFromJson(row.properties);
      if (properties) will.properties = properties;
      const stored: StoredWill = { clientId: row.client_id, willId: row.will_id, protocolVersion: row.protocol_version as ProtocolVersion, will };
      if (row.username !== null) stored.username = row.username;
      if (row.due_at !== null) stored.dueAt = row.due_at;
      return stored;
    });
    return { sessions: [...sessions.values()], retained, wills };
  }

  transaction<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    return this.runInTransaction(work) as T;
  }

  saveSession(session: Omit<StoredSession, 'subscriptions' | 'messages' | 'inboundQos2'>): void {
    this.statements.saveSession.run(session.clientId, session.expiryInterval, session.disconnectedAt ?? null, session.username ?? null);
  }

  deleteSession(clientId: string): void {
    this.transaction(() => {
      for (const statement of this.statements.deleteSession) statement.run(clientId);
    });
  }

  saveSubscription(clientId: string, s: StoredSubscription): void {
    this.statements.saveSubscription.run(clientId, s.filter, s.qos, s.noLocal ? 1 : 0, s.retainAsPublished ? 1 : 0, s.retainHandling, s.subscriptionId ?? null);
  }

  deleteSubscription(clientId: string, filter: string): void {
    this.statements.deleteSubscription.run(clientId, filter);
  }

  saveMessage(clientId: string, out: Outgoing): void {
    const m = out.message;
    this.statements.saveMessage.run(
      clientId, out.seq, out.state, out.packetId ?? null, out.qos, out.retain ? 1 : 0,
      out.subscriptionIds ? JSON.stringify(out.subscriptionIds) : null,
      m.topic, Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength), m.qos, m.retain ? 1 : 0,
      propertiesToJson(m.properties), m.expiresAt ?? null, m.publisherId ?? null,
    );
  }

  deleteMessage(clientId: string, seq: number): void {
    this.statements.deleteMessage.run(clientId, seq);
  }

  addInboundQos2(clientId: string, packetId: number): void {
    this.statements.addInbound.run(clientId, packetId);
  }

  deleteInboundQos2(clientId: string, packetId: number): void {
    this.statements.deleteInbound.run(clientId, packetId);
  }

  saveWill(w: StoredWill): void {
    const m = w.will;
    this.statements.saveWill.run(
      w.clientId, w.willId, w.username ?? null, w.protocolVersion, m.topic, Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength),
      m.qos, m.retain ? 1 : 0, propertiesToJson(m.properties), w.dueAt ?? null,
    );
  }

  deleteWill(clientId: string, willId: string): void {
    this.statements.deleteWill.run(clientId, willId);
  }

  saveRetained(m: BrokerMessage): void {
    this.statements.saveRetained.run(m.topic, Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength), m.qos, propertiesToJson(m.properties), m.expiresAt ?? null, m.publisherId ?? null);
  }

  deleteRetained(topic: string): void {
    this.statements.deleteRetained.run(topic);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
