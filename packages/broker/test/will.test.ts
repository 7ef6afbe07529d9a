import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

const will = { topic: 'status/dev', payload: text('gone'), qos: 1 as const, retain: false };

describe('will messages', () => {
  it('[MQTT-3.1.2-8] is published when the connection drops without DISCONNECT', async () => {
    const broker = memoryBroker();
    const { client: watcher } = await MemoryClient.connect(broker);
    await watcher.subscribe('status/#', 1);
    const { client: device } = await MemoryClient.connect(broker, { clientId: 'dev', will });
    device.drop();
    expect(str((await watcher.next('publish')).payload)).toBe('gone');
  });

  it('[MQTT-3.1.2-10] is not published after a normal DISCONNECT', async () => {
    const broker = memoryBroker();
    const { client: watcher } = await MemoryClient.connect(broker);
    await watcher.subscribe('status/#', 1);
    const { client: device } = await MemoryClient.connect(broker, { clientId: 'dev', will });
    device.send({ type: 'disconnect' });
    await device.closed();
    broker.publish({ topic: 'status/marker', payload: 'm' });
    expect((await watcher.next('publish')).topic).toBe('status/marker');
  });

  it('[MQTT-3.14.4-3] 5.0 DISCONNECT 0x04 asks for the will', async () => {
    const broker = memoryBroker();
    const { client: watcher } = await MemoryClient.connect(broker);
    await watcher.subscribe('status/#', 1);
    const { client: device } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'dev', will });
    device.send({ type: 'disconnect', reasonCode: 0x04 });
    expect(str((await watcher.next('publish')).payload)).toBe('gone');
  });

  it('[MQTT-3.1.3-9] 5.0 will delay: not sent if the session resumes within the delay', async () => {
    const broker = memoryBroker();
    const { client: watcher } = await MemoryClient.connect(broker);
    await watcher.subscribe('status/#', 1);
    const connect = { protocolVersion: 5 as const, clientId: 'delayed', properties: { sessionExpiryInterval: 60 }, will: { ...will, properties: { willDelayInterval: 1 } } };
    const { client: device } = await MemoryClient.connect(broker, connect);
    device.drop();
    await MemoryClient.connect(broker, { ...connect, clean: false });
    expect(await watcher.nothingWithin(1300)).toBe(true);
  });

  it('[MQTT-3.1.3-9] 5.0 will delay: sent after the delay when the client stays away', async () => {
    const broker = memoryBroker();
    const { client: watcher } = await MemoryClient.connect(broker);
    await watcher.subscribe('status/#', 1);
    const { client: device } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'late', properties: { sessionExpiryInterval: 60 }, will: { ...will, properties: { willDelayInterval: 1 } } });
    const dropped = Date.now();
    device.drop();
    expect(str((await watcher.next('publish', 3000)).payload)).toBe('gone');
    expect(Date.now() - dropped).toBeGreaterThanOrEqual(900);
  });

  it('[MQTT-3.1.3-9] a delayed will cancelled by a reconnect is not published when that session ends later', async () => {
    const broker = memoryBroker();
    const { client: watcher } = await MemoryClient.connect(broker);
    await watcher.subscribe('status/#', 1);
    const connect = { protocolVersion: 5 as const, clientId: 'twice', properties: { sessionExpiryInterval: 60 } };
    const { client: device } = await MemoryClient.connect(broker, { ...connect, will: { ...will, properties: { willDelayInterval: 30 } } });
    device.drop();
    await MemoryClient.connect(broker, { ...connect, clean: false }); // cancels the will
    await MemoryClient.connect(broker, { ...connect, clean: true }); // ends that session
    broker.publish({ topic: 'status/marker', payload: 'm' });
    expect((await watcher.next('publish')).topic).toBe('status/marker');
  });

  it('[MQTT-3.1.4-3] a takeover publishes the old connection\'s will (no delay)', async () => {
    const broker = memoryBroker();
    const { client: watcher } = await MemoryClient.connect(broker);
    await watcher.subscribe('status/#', 1);
    await MemoryClient.connect(broker, { clientId: 'twin', will });
    await MemoryClient.connect(broker, { clientId: 'twin' });
    expect(str((await watcher.next('publish')).payload)).toBe('gone');
  });

  it('a retained will is stored as the retained message', async () => {
    const broker = memoryBroker();
    const { client: device } = await MemoryClient.connect(broker, { clientId: 'dev', will: { ...will, retain: true } });
    device.drop();
    const { client: late } = await MemoryClient.connect(broker);
    await late.subscribe('status/dev', 1);
    const retained = await late.next('publish');
    expect(retained.retain).toBe(true);
    expect(str(retained.payload)).toBe('gone');
  });
});
