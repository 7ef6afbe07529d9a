/**
 * When a will is published: on every close that is not a normal DISCONNECT (server-initiated ones included), at
 * the earlier of the will delay and the end of the session, and never when the session resumes in time.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectPacket } from '@mqttkit/core';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';
import type { Broker } from '../src/broker.ts';

const will = (willDelayInterval?: number) => ({
  topic: 'status/dev',
  payload: text('gone'),
  qos: 1 as const,
  retain: false,
  ...(willDelayInterval === undefined ? {} : { properties: { willDelayInterval } }),
});

const device = (sessionExpiryInterval: number, willDelayInterval?: number): Partial<ConnectPacket> => ({
  protocolVersion: 5,
  clientId: 'dev',
  properties: { sessionExpiryInterval },
  will: will(willDelayInterval),
});

/** The same client id coming back, without a will. */
const returning = (sessionExpiryInterval: number, clean: boolean): Partial<ConnectPacket> => ({ protocolVersion: 5, clientId: 'dev', clean, properties: { sessionExpiryInterval } });

async function watcher(broker: Broker): Promise<MemoryClient> {
  const { client } = await MemoryClient.connect(broker);
  await client.subscribe('status/#', 1);
  return client;
}

/** Resolves with the will's payload and how long after `since` it came. */
async function willArrival(watch: MemoryClient, since: number, timeoutMs: number): Promise<{ payload: string; afterMs: number }> {
  const publish = await watch.next('publish', timeoutMs);
  return { payload: str(publish.payload), afterMs: Date.now() - since };
}

describe('conformance: when the will is published', () => {
  it('[MQTT-3.1.3-9] a will delay longer than the session expiry: published when the session ends', async () => {
    const broker = memoryBroker();
    const watch = await watcher(broker);
    const { client } = await MemoryClient.connect(broker, device(1, 60));
    const dropped = Date.now();
    client.drop();
    const arrival = await willArrival(watch, dropped, 3000);
    expect(arrival.payload).toBe('gone');
    expect(arrival.afterMs).toBeGreaterThanOrEqual(900);
    expect(broker.sessions.has('dev')).toBe(false);
  });

  it('[MQTT-3.1.3-9] a will delay with session expiry 0: published at once, the session ends with the connection', async () => {
    const broker = memoryBroker();
    const watch = await watcher(broker);
    const { client } = await MemoryClient.connect(broker, device(0, 60));
    const dropped = Date.now();
    client.drop();
    const arrival = await willArrival(watch, dropped, 500);
    expect(arrival.payload).toBe('gone');
  });

  it('[MQTT-3.14.4-3] DISCONNECT 0x04 that also sets session expiry 0 publishes a delayed will at once', async () => {
    const broker = memoryBroker();
    const watch = await watcher(broker);
    const { client } = await MemoryClient.connect(broker, device(60, 30));
    client.send({ type: 'disconnect', reasonCode: 0x04, properties: { sessionExpiryInterval: 0 } });
    expect((await willArrival(watch, Date.now(), 500)).payload).toBe('gone');
  });

  it('[MQTT-3.1.2-8] a connection the server closes for a protocol error publishes its will', async () => {
    const broker = memoryBroker();
    const watch = await watcher(broker);
    const { client } = await MemoryClient.connect(broker, device(0));
    client.send({ type: 'publish', topic: 't', payload: text('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 99 } });
    expect((await client.next('disconnect')).reasonCode).toBe(0x94);
    expect((await willArrival(watch, Date.now(), 500)).payload).toBe('gone');
  });

  it('[MQTT-3.1.2-8] a connection the server closes for keep alive publishes its will', async () => {
    const broker = memoryBroker();
    const watch = await watcher(broker);
    const { client } = await MemoryClient.connect(broker, { ...device(0), keepalive: 1 });
    expect((await client.next('disconnect', 3000)).reasonCode).toBe(0x8d);
    expect((await willArrival(watch, Date.now(), 500)).payload).toBe('gone');
  });

  it('[MQTT-3.1.3-9] a takeover that resumes the session within the will delay: no will', async () => {
    const broker = memoryBroker();
    const watch = await watcher(broker);
    const { client: old } = await MemoryClient.connect(broker, device(60, 1));
    const { connack } = await MemoryClient.connect(broker, returning(60, false));
    expect(connack.sessionPresent).toBe(true);
    expect((await old.next('disconnect')).reasonCode).toBe(0x8e);
    expect(await watch.nothingWithin(1300)).toBe(true);
  });

  it('[MQTT-3.1.4-3] a takeover with clean start ends the old session: its delayed will goes at once', async () => {
    const broker = memoryBroker();
    const watch = await watcher(broker);
    await MemoryClient.connect(broker, device(60, 30));
    const takeover = Date.now();
    await MemoryClient.connect(broker, returning(60, true));
    expect((await willArrival(watch, takeover, 500)).payload).toBe('gone');
  });

  it('[MQTT-3.1.0-2] [MQTT-3.1.2-8] 3.1.1: a second CONNECT closes the connection without a packet and publishes the will', async () => {
    const broker = memoryBroker();
    const watch = await watcher(broker);
    const { client } = await MemoryClient.connect(broker, { clientId: 'twice', will: will() });
    client.send({ type: 'connect', protocolVersion: 4, clientId: 'twice', clean: true, keepalive: 0 });
    await client.closed();
    expect(client.received).toEqual([]);
    expect((await willArrival(watch, Date.now(), 500)).payload).toBe('gone');
  });
});
