import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Outgoing } from '../src/message.ts';
import { MemorySessionStore } from '../src/store/memory.ts';
import { SqliteSessionStore } from '../src/store/sqlite.ts';
import type { SessionStore, StoredSubscription, StoredWill } from '../src/store/types.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const stores: [string, () => SessionStore][] = [
  ['memory', () => new MemorySessionStore()],
  ['sqlite', () => new SqliteSessionStore(path.join(dir, `contract-${++files}.db`))],
];

const bytes = (text: string) => new TextEncoder().encode(text);
const subscription: StoredSubscription = { filter: 'a/+', qos: 1, noLocal: true, retainAsPublished: false, retainHandling: 1, subscriptionId: 7 };
function outgoing(seq: number, state: Outgoing['state'] = 'queued'): Outgoing {
  const out: Outgoing = {
    seq,
    state,
    qos: 1,
    retain: false,
    subscriptionIds: [7, 9],
    message: {
      topic: `a/${seq}`,
      payload: bytes(`p${seq}`),
      qos: 2,
      retain: true,
      publisherId: 'pub',
      expiresAt: 1_900_000_000_000,
      properties: { correlationData: bytes('corr'), userProperties: [['k', 'v']], contentType: 'text/plain' },
    },
  };
  if (state !== 'queued') out.packetId = seq + 100;
  return out;
}

function will(willId: string): StoredWill {
  return {
    clientId: 'c',
    willId,
    username: 'alice',
    protocolVersion: 5,
    will: { topic: 'status/c', payload: bytes('offline'), qos: 1, retain: true, properties: { willDelayInterval: 30, messageExpiryInterval: 60, correlationData: bytes('k'), userProperties: [['a', 'b']] } },
  };
}

// One suite, every store: they cannot drift apart.
for (const [name, open] of stores) {
  describe(`SessionStore contract: ${name}`, () => {
    it('starts empty', () => {
      expect(open().load()).toEqual({ sessions: [], retained: [], wills: [] });
    });

    it('saves, updates and deletes a session with everything it holds', () => {
      const store = open();
      store.saveSession({ clientId: 'c1', expiryInterval: 60 });
      store.saveSession({ clientId: 'c1', expiryInterval: 120, disconnectedAt: 1000, username: 'alice' });
      store.saveSubscription('c1', subscription);
      store.saveMessage('c1', outgoing(1));
      store.addInboundQos2('c1', 42);
      expect(store.load().sessions).toEqual([{ clientId: 'c1', expiryInterval: 120, disconnectedAt: 1000, username: 'alice', subscriptions: [subscription], messages: [outgoing(1)], inboundQos2: [42] }]);
      store.deleteSession('c1');
      expect(store.load().sessions).toEqual([]);
    });

    it('replaces a subscription with the same filter and deletes by filter', () => {
      const store = open();
      store.saveSession({ clientId: 'c', expiryInterval: 1 });
      store.saveSubscription('c', subscription);
      store.saveSubscription('c', { ...subscription, qos: 2 });
      store.saveSubscription('c', { filter: 'b/#', qos: 0, noLocal: false, retainAsPublished: true, retainHandling: 0 });
      const subs = store.load().sessions[0]!.subscriptions.sort((x, y) => x.filter.localeCompare(y.filter));
      expect(subs).toEqual([{ ...subscription, qos: 2 }, { filter: 'b/#', qos: 0, noLocal: false, retainAsPublished: true, retainHandling: 0 }]);
      store.deleteSubscription('c', 'a/+');
      expect(store.load().sessions[0]!.subscriptions.map((s) => s.filter)).toEqual(['b/#']);
    });

    it('keeps messages in seq order, updates their state in place, deletes by seq', () => {
      const store = open();
      store.saveSession({ clientId: 'c', expiryInterval: 1 });
      for (const seq of [3, 1, 2]) store.saveMessage('c', outgoing(seq));
      store.saveMessage('c', outgoing(1, 'publish'));
      store.saveMessage('c', outgoing(2, 'pubrel'));
      store.deleteMessage('c', 3);
      const messages = store.load().sessions[0]!.messages;
      expect(messages).toEqual([outgoing(1, 'publish'), outgoing(2, 'pubrel')]);
      expect(messages[0]!.message.properties!.correlationData).toBeInstanceOf(Uint8Array);
    });

    it('tracks inbound QoS 2 packet ids', () => {
      const store = open();
      store.saveSession({ clientId: 'c', expiryInterval: 1 });
      store.addInboundQos2('c', 1);
      store.addInboundQos2('c', 2);
      store.addInboundQos2('c', 2);
      store.deleteInboundQos2('c', 1);
      expect(store.load().sessions[0]!.inboundQos2).toEqual([2]);
    });

    it('stores one retained message per topic and deletes it', () => {
      const store = open();
      store.saveRetained({ topic: 't', payload: bytes('1'), qos: 1, retain: true });
      store.saveRetained({ topic: 't', payload: bytes('2'), qos: 0, retain: true, properties: { contentType: 'x' }, expiresAt: 5 });
      store.saveRetained({ topic: 'u', payload: bytes('3'), qos: 2, retain: true });
      expect(store.load().retained.sort((a, b) => a.topic.localeCompare(b.topic))).toEqual([
        { topic: 't', payload: bytes('2'), qos: 0, retain: true, properties: { contentType: 'x' }, expiresAt: 5 },
        { topic: 'u', payload: bytes('3'), qos: 2, retain: true },
      ]);
      store.deleteRetained('t');
      expect(store.load().retained.map((m) => m.topic)).toEqual(['u']);
    });

    it('[MQTT-3.1.2-8] keeps one will per client id, its due time, and deletes it only by its own id', () => {
      const store = open();
      store.saveWill(will('w1'));
      store.saveWill({ ...will('w2'), dueAt: 1_900_000_000_000 });
      store.saveWill({ ...will('x1'), clientId: 'other', protocolVersion: 4, will: { topic: 'o', payload: bytes(''), qos: 0, retain: false } });
      store.deleteWill('c', 'w1'); // the earlier connection's: a late delete leaves the newer will alone
      const byClient = (s: StoredWill[]) => s.sort((a, b) => a.clientId.localeCompare(b.clientId));
      expect(byClient(store.load().wills)).toEqual([
        { ...will('w2'), dueAt: 1_900_000_000_000 },
        { clientId: 'other', willId: 'x1', username: 'alice', protocolVersion: 4, will: { topic: 'o', payload: bytes(''), qos: 0, retain: false } },
      ]);
      expect(store.load().wills[0]!.will.properties!.correlationData).toBeInstanceOf(Uint8Array);
      store.deleteWill('c', 'w2');
      store.deleteSession('other'); // wills outlive session rows: a clean session's will is owed too
      expect(store.load().wills.map((w) => w.willId)).toEqual(['x1']);
    });

    it('copies on save: later changes to the caller\'s objects do not leak in', () => {
      const store = open();
      store.saveSession({ clientId: 'c', expiryInterval: 1 });
      const out = outgoing(1);
      store.saveMessage('c', out);
      out.state = 'pubrel';
      out.message.topic = 'changed';
      expect(store.load().sessions[0]!.messages[0]).toMatchObject({ state: 'queued', message: { topic: 'a/1' } });
    });

    it('runs nested transactions as one and returns the work\'s value', () => {
      const store = open();
      const value = store.transaction(() => {
        store.saveSession({ clientId: 'x', expiryInterval: 1 });
        return store.transaction(() => {
          store.saveSubscription('x', subscription);
          return 42;
        });
      });
      expect(value).toBe(42);
      expect(store.load().sessions[0]!.subscriptions).toHaveLength(1);
    });
  });
}

describe('SqliteSessionStore', () => {
  it('keeps everything across close and reopen (WAL mode)', () => {
    const file = path.join(dir, 'reopen.db');
    const first = new SqliteSessionStore(file);
    first.saveSession({ clientId: 'c', expiryInterval: 60, disconnectedAt: 5 });
    first.saveMessage('c', outgoing(1, 'publish'));
    first.saveRetained({ topic: 'r', payload: bytes('x'), qos: 1, retain: true });
    first.saveWill(will('w'));
    first.close();
    const second = new SqliteSessionStore(file);
    const state = second.load();
    expect(state.sessions[0]!.messages).toEqual([outgoing(1, 'publish')]);
    expect(state.retained).toHaveLength(1);
    expect(state.wills).toEqual([will('w')]);
    second.close();
  });

  it('opens a file written before sessions had a username column', async () => {
    const file = path.join(dir, 'old-schema.db');
    const { default: Database } = await import('better-sqlite3');
    const old = new Database(file);
    old.exec('CREATE TABLE sessions (client_id TEXT PRIMARY KEY, expiry_interval INTEGER NOT NULL, disconnected_at INTEGER)');
    old.prepare('INSERT INTO sessions VALUES (?, ?, ?)').run('legacy', 60, 5);
    old.close();
    const store = new SqliteSessionStore(file);
    store.saveSession({ clientId: 'new', expiryInterval: 1, username: 'u' });
    expect(store.load().sessions.map((s) => [s.clientId, s.username])).toEqual([['legacy', undefined], ['new', 'u']]);
    store.close();
  });

  it('rolls a failed transaction back as a whole', () => {
    const store = new SqliteSessionStore(path.join(dir, 'rollback.db'));
    expect(() =>
      store.transaction(() => {
        store.saveSession({ clientId: 'half', expiryInterval: 1 });
        throw new Error('midway');
      }),
    ).toThrow('midway');
    expect(store.load().sessions).toEqual([]);
    store.close();
  });
});
