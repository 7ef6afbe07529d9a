import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectPacket, ProtocolVersion } from '@mqttkit/core';
import { optionsFromArgs } from '../src/cli.ts';
import type { Broker } from '../src/broker.ts';
import { MemoryClient, str } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

/** A persistent session at either version: clean session false (3.1.1), session expiry > 0 (5.0). */
function persistent(version: ProtocolVersion, clientId: string): Partial<ConnectPacket> {
  return version === 5 ? { protocolVersion: 5, clientId, clean: false, properties: { sessionExpiryInterval: 300 } } : { protocolVersion: 4, clientId, clean: false };
}

/** Subscribes a persistent session to `filter` at `qos`, then disconnects normally. */
async function goOffline(broker: Broker, version: ProtocolVersion, clientId: string, filter: string, qos: 0 | 1 | 2): Promise<void> {
  const { client } = await MemoryClient.connect(broker, persistent(version, clientId));
  await client.subscribe(filter, qos);
  client.send({ type: 'disconnect' });
  await client.closed();
}

/** Reconnects and reads `count` PUBLISHes (acknowledging QoS 1), then checks nothing else arrives. */
async function reconnectAndRead(broker: Broker, version: ProtocolVersion, clientId: string, count: number): Promise<{ payload: string; qos: number }[]> {
  const { client, connack } = await MemoryClient.connect(broker, persistent(version, clientId));
  expect(connack.sessionPresent).toBe(true);
  const got = [];
  for (let i = 0; i < count; i++) {
    const publish = await client.next('publish');
    got.push({ payload: str(publish.payload), qos: publish.qos });
    if (publish.qos === 1) client.send({ type: 'puback', packetId: publish.packetId! });
  }
  expect(await client.nothingWithin(30)).toBe(true);
  return got;
}

describe.each([4, 5] as const)('QoS 0 for offline persistent sessions at level %i', (version) => {
  it('[MQTT-3.1.2-5] by default QoS 0 is not queued offline (mosquitto queue_qos0_messages false); QoS 1 is', async () => {
    const broker = memoryBroker();
    await goOffline(broker, version, 'default', 'd/#', 1);
    broker.publish({ topic: 'd/0', payload: 'zero', qos: 0 });
    broker.publish({ topic: 'd/1', payload: 'one', qos: 1 });
    expect(await reconnectAndRead(broker, version, 'default', 1)).toEqual([{ payload: 'one', qos: 1 }]);
  });

  it('[MQTT-3.1.2-5] with queueQos0Messages, QoS 0 is queued with QoS 1 and delivered in publish order', async () => {
    const broker = memoryBroker({ queueQos0Messages: true });
    await goOffline(broker, version, 'queued', 'q/#', 1);
    broker.publish({ topic: 'q/a', payload: 'a', qos: 0 });
    broker.publish({ topic: 'q/b', payload: 'b', qos: 1 });
    broker.publish({ topic: 'q/c', payload: 'c', qos: 0 });
    expect(await reconnectAndRead(broker, version, 'queued', 3)).toEqual([
      { payload: 'a', qos: 0 },
      { payload: 'b', qos: 1 },
      { payload: 'c', qos: 0 },
    ]);
  });

  it('[MQTT-3.8.4-8] the granted QoS is the ceiling: QoS 1 to a QoS 0 subscription queues only with the option, as QoS 0', async () => {
    const off = memoryBroker();
    await goOffline(off, version, 'capped', 'g', 0);
    off.publish({ topic: 'g', payload: 'not queued', qos: 1 });
    expect(await reconnectAndRead(off, version, 'capped', 0)).toEqual([]);

    const on = memoryBroker({ queueQos0Messages: true });
    await goOffline(on, version, 'capped', 'g', 0);
    on.publish({ topic: 'g', payload: 'queued', qos: 1 });
    expect(await reconnectAndRead(on, version, 'capped', 1)).toEqual([{ payload: 'queued', qos: 0 }]);
  });

  it('at the per-session queue limit the oldest QoS 0 is dropped first, QoS 1 kept, then newcomers are dropped', async () => {
    const broker = memoryBroker({ queueQos0Messages: true, limits: { maxQueued: 3 } });
    await goOffline(broker, version, 'full', 'f/#', 1);
    broker.publish({ topic: 'f/1', payload: 'q0-a', qos: 0 });
    broker.publish({ topic: 'f/2', payload: 'q1-b', qos: 1 });
    broker.publish({ topic: 'f/3', payload: 'q0-c', qos: 0 });
    broker.publish({ topic: 'f/4', payload: 'q0-d', qos: 0 }); // drops q0-a
    broker.publish({ topic: 'f/5', payload: 'q1-e', qos: 1 }); // drops q0-c
    broker.publish({ topic: 'f/6', payload: 'q1-f', qos: 1 }); // drops q0-d
    broker.publish({ topic: 'f/7', payload: 'q1-g', qos: 1 }); // no QoS 0 left: the newcomer is dropped
    expect(broker.sessions.get('full')!.queue.length).toBe(3);
    expect(broker.stats.messagesDropped).toBe(4);
    const got = await reconnectAndRead(broker, version, 'full', 3);
    expect(got.map((m) => m.payload)).toEqual(['q1-b', 'q1-e', 'q1-f']);
  });

  it('[MQTT-3.1.2-5] QoS 0 queued behind a full send window is not kept for the next connection without the option', async () => {
    const broker = memoryBroker({ limits: { maxInflight: 1 } });
    const { client } = await MemoryClient.connect(broker, persistent(version, 'window'));
    await client.subscribe('w/#', 1);
    broker.publish({ topic: 'w/1', payload: 'one', qos: 1 }); // in flight: the window is full
    broker.publish({ topic: 'w/2', payload: 'two', qos: 1 }); // queued
    broker.publish({ topic: 'w/0', payload: 'zero', qos: 0 }); // queued behind it, while connected
    expect(broker.sessions.get('window')!.queue.map((out) => out.qos)).toEqual([1, 0]);
    client.send({ type: 'disconnect' });
    await client.closed();
    expect(broker.sessions.get('window')!.queue.map((out) => out.qos)).toEqual([1]);
    expect(broker.stats.messagesDropped).toBe(1);
    const got = await reconnectAndRead(broker, version, 'window', 2);
    expect(got.map((m) => m.payload)).toEqual(['one', 'two']);
  });

  it('with queueQos0Messages, QoS 0 queued behind a full send window is kept for the next connection', async () => {
    const broker = memoryBroker({ queueQos0Messages: true, limits: { maxInflight: 1 } });
    const { client } = await MemoryClient.connect(broker, persistent(version, 'window-kept'));
    await client.subscribe('w/#', 1);
    broker.publish({ topic: 'w/1', payload: 'one', qos: 1 });
    broker.publish({ topic: 'w/2', payload: 'two', qos: 1 });
    broker.publish({ topic: 'w/0', payload: 'zero', qos: 0 });
    client.send({ type: 'disconnect' });
    await client.closed();
    const got = await reconnectAndRead(broker, version, 'window-kept', 3);
    expect(got.map((m) => m.payload)).toEqual(['one', 'two', 'zero']);
  });

  it('a clean (non-persistent) session queues nothing once it is gone, option or not', async () => {
    const broker = memoryBroker({ queueQos0Messages: true });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: version, clientId: 'clean', clean: true });
    await client.subscribe('c', 0);
    client.send({ type: 'disconnect' });
    await client.closed();
    broker.publish({ topic: 'c', payload: 'x', qos: 0 });
    expect(broker.sessions.has('clean')).toBe(false);
  });
});

describe('queueQos0Messages configuration', () => {
  it('is off by default, on with --queue-qos0 or the config key queueQos0Messages', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-qos0-'));
    try {
      expect(optionsFromArgs(['--log-level', 'silent']).queueQos0Messages).toBeUndefined();
      expect(optionsFromArgs(['--queue-qos0', '--log-level', 'silent']).queueQos0Messages).toBe(true);
      const config = path.join(dir, 'broker.json');
      writeFileSync(config, JSON.stringify({ queueQos0Messages: true }));
      expect(optionsFromArgs(['--config', config, '--log-level', 'silent']).queueQos0Messages).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
