import { describe, expect, it, vi } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

describe('persistent sessions', () => {
  it('[MQTT-3.1.2-5] queues QoS 1/2 messages for an offline persistent session and delivers them on reconnect', async () => {
    const broker = memoryBroker();
    const first = await MemoryClient.connect(broker, { clientId: 'offline', clean: false });
    await first.client.subscribe('q/#', 1);
    first.client.send({ type: 'disconnect' });
    await first.client.closed();
    for (let i = 0; i < 3; i++) broker.publish({ topic: `q/${i}`, payload: String(i), qos: 1 });
    broker.publish({ topic: 'q/zero', payload: 'qos0 is not queued offline', qos: 0 });
    const again = await MemoryClient.connect(broker, { clientId: 'offline', clean: false });
    expect(again.connack.sessionPresent).toBe(true);
    const payloads = [];
    for (let i = 0; i < 3; i++) {
      const publish = await again.client.next('publish');
      payloads.push(str(publish.payload));
      again.client.send({ type: 'puback', packetId: publish.packetId! });
    }
    expect(payloads).toEqual(['0', '1', '2']);
    expect(await again.client.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-4.4.0-1] resends unacknowledged PUBLISH with DUP and pending PUBREL on reconnect, in order', async () => {
    const broker = memoryBroker();
    const first = await MemoryClient.connect(broker, { clientId: 'resend', clean: false });
    await first.client.subscribe('r/1', 1);
    await first.client.subscribe('r/2', 2);
    broker.publish({ topic: 'r/1', payload: 'one', qos: 1 });
    broker.publish({ topic: 'r/2', payload: 'two', qos: 2 });
    const one = await first.client.next('publish');
    const two = await first.client.next('publish');
    first.client.send({ type: 'pubrec', packetId: two.packetId! });
    await first.client.next('pubrel');
    first.client.drop();
    const again = await MemoryClient.connect(broker, { clientId: 'resend', clean: false });
    const resent = await again.client.next('publish');
    expect(resent).toMatchObject({ topic: 'r/1', dup: true, packetId: one.packetId, qos: 1 });
    expect(await again.client.next('pubrel')).toMatchObject({ packetId: two.packetId });
  });

  it('[MQTT-3.1.2-6] clean session discards the previous session state', async () => {
    const broker = memoryBroker();
    const first = await MemoryClient.connect(broker, { clientId: 'wipe', clean: false });
    await first.client.subscribe('w', 1);
    first.client.send({ type: 'disconnect' });
    await first.client.closed();
    const clean = await MemoryClient.connect(broker, { clientId: 'wipe', clean: true });
    expect(clean.connack.sessionPresent).toBe(false);
    broker.publish({ topic: 'w', payload: 'x', qos: 1 });
    expect(await clean.client.nothingWithin(30)).toBe(true);
  });

  it('[MQTT-3.1.2-23] 5.0 session expiry: the session is gone after its expiry interval', async () => {
    const broker = memoryBroker();
    const first = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'expiring', clean: true, properties: { sessionExpiryInterval: 1 } });
    await first.client.subscribe('e', 1);
    first.client.send({ type: 'disconnect' });
    await first.client.closed();
    expect(broker.sessions.has('expiring')).toBe(true);
    const deadline = Date.now() + 3000;
    while (broker.sessions.has('expiring') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(broker.sessions.has('expiring')).toBe(false);
    const again = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'expiring', clean: false, properties: { sessionExpiryInterval: 1 } });
    expect(again.connack.sessionPresent).toBe(false);
  });

  it('[MQTT-3.14.2-2] 5.0: DISCONNECT may not turn session expiry 0 into non-zero (0x82)', async () => {
    const { client } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5, clientId: 'zero' });
    client.send({ type: 'disconnect', properties: { sessionExpiryInterval: 60 } });
    expect((await client.next('disconnect')).reasonCode).toBe(0x82);
  });

  it('[MQTT-3.3.4-7] holds QoS 1 deliveries to the client receive maximum, sending more as acks come', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, properties: { receiveMaximum: 2 } });
    await client.subscribe('rm', 1);
    for (let i = 0; i < 5; i++) broker.publish({ topic: 'rm', payload: String(i), qos: 1 });
    const a = await client.next('publish');
    const b = await client.next('publish');
    expect(await client.nothingWithin(30)).toBe(true);
    client.send({ type: 'puback', packetId: a.packetId! });
    expect(str((await client.next('publish')).payload)).toBe('2');
    client.send({ type: 'puback', packetId: b.packetId! });
    expect(str((await client.next('publish')).payload)).toBe('3');
  });

  it('[MQTT-3.3.2-5] 5.0 message expiry counts down while queued; expired messages are not delivered', async () => {
    const broker = memoryBroker();
    const first = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'exp', clean: false, properties: { sessionExpiryInterval: 60 } });
    await first.client.subscribe('x/#', 1);
    first.client.send({ type: 'disconnect' });
    await first.client.closed();
    broker.publish({ topic: 'x/short', payload: 's', qos: 1, properties: { messageExpiryInterval: 1 } });
    broker.publish({ topic: 'x/long', payload: 'l', qos: 1, properties: { messageExpiryInterval: 100 } });
    // Move the wall clock 1.1 s on (timers stay real) so the short one expires while queued.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    let delivered;
    let again;
    try {
      vi.setSystemTime(Date.now() + 1_100);
      again = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'exp', clean: false, properties: { sessionExpiryInterval: 60 } });
      delivered = await again.client.next('publish');
    } finally {
      vi.useRealTimers();
    }
    expect(delivered.topic).toBe('x/long');
    expect(delivered.properties?.messageExpiryInterval).toBeLessThanOrEqual(99);
    expect(await again.client.nothingWithin(30)).toBe(true);
  });

  it('a QoS 1 publish to a persistent subscriber is stored before PUBACK', async () => {
    const broker = memoryBroker();
    const sub = await MemoryClient.connect(broker, { clientId: 'stored', clean: false });
    await sub.client.subscribe('s', 1);
    sub.client.drop();
    const { client: pub } = await MemoryClient.connect(broker);
    pub.send({ type: 'publish', topic: 's', payload: text('x'), qos: 1, retain: false, dup: false, packetId: 3 });
    await pub.next('puback');
    const stored = broker.store.load().sessions.find((s) => s.clientId === 'stored');
    expect(stored?.messages.map((m) => str(m.message.payload))).toEqual(['x']);
  });
});
