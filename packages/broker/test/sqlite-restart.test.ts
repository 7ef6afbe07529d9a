import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Broker } from '../src/broker.ts';
import { createLogger } from '../src/log.ts';
import { SqliteSessionStore } from '../src/store/sqlite.ts';
import { MemoryClient, str } from './support/memory-client.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const open = (file: string) => new Broker({ logger: createLogger('silent'), store: new SqliteSessionStore(file) });

describe('restart with SQLite (in process)', () => {
  it('[MQTT-4.1.0-1] subscriptions (shared too), queued and in-flight messages, inbound QoS 2 state and retained messages survive', async () => {
    const file = path.join(dir, 'restart.db');
    let broker = open(file);
    const first = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'keeper', clean: true, properties: { sessionExpiryInterval: 3600 } });
    await first.client.subscribe('plain/#', 1);
    await first.client.subscribe('$share/g/shared/#', 2);
    broker.publish({ topic: 'plain/a', payload: 'in flight', qos: 1 });
    const inflight = await first.client.next('publish'); // not acknowledged
    first.client.send({ type: 'publish', topic: 'x', payload: new Uint8Array([1]), qos: 2, retain: false, dup: false, packetId: 77 });
    await first.client.next('pubrec'); // PUBREL never sent before the "crash"
    first.client.drop();
    broker.publish({ topic: 'plain/b', payload: 'queued', qos: 1 });
    broker.publish({ topic: 'shared/c', payload: 'queued shared', qos: 2 });
    broker.publish({ topic: 'state', payload: 'kept', qos: 1, retain: true });
    broker.publish({ topic: 'clean/also', payload: 'not stored: no persistent subscriber', qos: 1 });
    await broker.close();

    broker = open(file);
    const again = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'keeper', clean: false, properties: { sessionExpiryInterval: 3600 } });
    expect(again.connack.sessionPresent).toBe(true);
    const resent = await again.client.next('publish');
    expect([resent.topic, resent.dup, resent.packetId]).toEqual(['plain/a', true, inflight.packetId]);
    const queued = [await again.client.next('publish'), await again.client.next('publish')].map((p) => str(p.payload));
    expect(queued).toEqual(['queued', 'queued shared']);
    // The QoS 2 packet id 77 is still owned: a resend is acknowledged, not routed again.
    again.client.send({ type: 'pubrel', packetId: 77 });
    const pubcomp = await again.client.next('pubcomp');
    expect([pubcomp.packetId, pubcomp.reasonCode ?? 0]).toEqual([77, 0]); // not 0x92: the id was remembered
    broker.publish({ topic: 'shared/d', payload: 'live shared', qos: 0 });
    expect(str((await again.client.next('publish')).payload)).toBe('live shared');
    const { client: late } = await MemoryClient.connect(broker);
    await late.subscribe('state');
    expect(str((await late.next('publish')).payload)).toBe('kept');
    await broker.close();
  });

  it('[MQTT-3.1.2-23] an expired session is dropped at start-up', async () => {
    const file = path.join(dir, 'expired.db');
    const store = new SqliteSessionStore(file);
    store.saveSession({ clientId: 'old', expiryInterval: 1, disconnectedAt: Date.now() - 5000 });
    store.saveSubscription('old', { filter: 'x', qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0 });
    store.close();
    const broker = open(file);
    expect(broker.sessions.has('old')).toBe(false);
    expect(broker.store.load().sessions).toEqual([]);
    await broker.close();
  });

  it('ACL read checks still apply to a persistent session restored from disk while its client is away', async () => {
    const file = path.join(dir, 'acl.db');
    const hooks = { authorizeRead: (client: { username: string | undefined }, topic: string) => client.username === 'reader' && topic.startsWith('ok/') };
    let broker = new Broker({ logger: createLogger('silent'), store: new SqliteSessionStore(file), hooks });
    const first = await MemoryClient.connect(broker, { clientId: 'reader-1', clean: false, username: 'reader' });
    await first.client.subscribe('#', 1);
    first.client.drop();
    await broker.close();
    broker = new Broker({ logger: createLogger('silent'), store: new SqliteSessionStore(file), hooks });
    broker.publish({ topic: 'ok/1', payload: 'allowed', qos: 1 });
    broker.publish({ topic: 'secret/1', payload: 'refused', qos: 1 });
    const again = await MemoryClient.connect(broker, { clientId: 'reader-1', clean: false, username: 'reader' });
    expect(str((await again.client.next('publish')).payload)).toBe('allowed');
    expect(await again.client.nothingWithin(30)).toBe(true);
    await broker.close();
  });
});
