import { describe, expect, it } from 'vitest';
import { MemoryClient } from './support/memory-client.ts';
import { memoryBroker as broker } from './support/memory-broker.ts';

describe('CONNECT', () => {
  it('[MQTT-3.1.0-1] closes a connection whose first packet is not CONNECT', async () => {
    const b = broker();
    const client = new MemoryClient(b);
    client.send({ type: 'pingreq' });
    await client.closed();
    expect(client.received).toEqual([]);
  });

  it('[MQTT-3.1.0-2] a second CONNECT closes the connection (5.0: DISCONNECT 0x82)', async () => {
    const { client } = await MemoryClient.connect(broker(), { protocolVersion: 5, clientId: 'twice' });
    client.send({ type: 'connect', protocolVersion: 5, clientId: 'twice', clean: true, keepalive: 0 });
    const disconnect = await client.next('disconnect');
    expect(disconnect.reasonCode).toBe(0x82);
    await client.closed();
  });

  it('[MQTT-3.2.2-4] accepts 3.1.1 and 5.0 and answers CONNACK 0', async () => {
    const b = broker();
    const v4 = await MemoryClient.connect(b, { protocolVersion: 4 });
    const v5 = await MemoryClient.connect(b, { protocolVersion: 5 });
    expect(v4.connack.reasonCode).toBe(0);
    expect(v5.connack.reasonCode).toBe(0);
    expect(v5.connack.properties?.receiveMaximum).toBe(b.limits.receiveMaximum);
  });

  it('[MQTT-3.1.2-2] an unsupported protocol level gets CONNACK 0x01 then a close', async () => {
    const client = new MemoryClient(broker());
    // CONNECT "MQTT" level 3, clean, keepalive 60, client id "a".
    client.rawWrite(Uint8Array.from([0x10, 0x0d, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x03, 0x02, 0x00, 0x3c, 0x00, 0x01, 0x61]));
    const connack = await client.next('connack');
    expect(connack.reasonCode).toBe(0x01);
    await client.closed();
  });

  it('[MQTT-3.1.2-2] a protocol level above 5 gets the 5.0 CONNACK 0x84', async () => {
    const client = new MemoryClient(broker(), 5);
    client.rawWrite(Uint8Array.from([0x10, 0x0e, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x06, 0x02, 0x00, 0x3c, 0x00, 0x00, 0x01, 0x61]));
    const connack = await client.next('connack');
    expect(connack.reasonCode).toBe(0x84);
    await client.closed();
  });

  it('[MQTT-3.1.3-8] 3.1.1: an empty client id without clean session is refused with 0x02', async () => {
    const client = new MemoryClient(broker(), 4);
    client.send({ type: 'connect', protocolVersion: 4, clientId: '', clean: false, keepalive: 0 });
    expect((await client.next('connack')).reasonCode).toBe(0x02);
    await client.closed();
  });

  it('[MQTT-3.1.3-6] an empty client id is assigned one (5.0: Assigned Client Identifier)', async () => {
    const { connack } = await MemoryClient.connect(broker(), { protocolVersion: 5, clientId: '' });
    expect(connack.reasonCode).toBe(0);
    expect(connack.properties?.assignedClientIdentifier).toMatch(/^mqttkit-/);
  });

  it('[MQTT-3.1.4-3] a second connection with the same client id takes over: the old one gets DISCONNECT 0x8E', async () => {
    const b = broker();
    const first = await MemoryClient.connect(b, { protocolVersion: 5, clientId: 'same' });
    const second = await MemoryClient.connect(b, { protocolVersion: 5, clientId: 'same' });
    expect(second.connack.reasonCode).toBe(0);
    expect((await first.client.next('disconnect')).reasonCode).toBe(0x8e);
    await first.client.closed();
    expect(b.connectedCount).toBe(1);
  });

  it('[MQTT-3.2.2-2] session present is set when a persistent session is resumed', async () => {
    const b = broker();
    const first = await MemoryClient.connect(b, { clientId: 'p', clean: false });
    expect(first.connack.sessionPresent).toBe(false);
    first.client.send({ type: 'disconnect' });
    await first.client.closed();
    const second = await MemoryClient.connect(b, { clientId: 'p', clean: false });
    expect(second.connack.sessionPresent).toBe(true);
    second.client.send({ type: 'disconnect' });
    const third = await MemoryClient.connect(b, { clientId: 'p', clean: true });
    expect(third.connack.sessionPresent).toBe(false);
  });

  it('[MQTT-3.1.2-24] closes a connection silent for 1.5 × keepalive (5.0: DISCONNECT 0x8D)', async () => {
    const { client } = await MemoryClient.connect(broker(), { protocolVersion: 5, keepalive: 1 });
    const started = Date.now();
    const disconnect = await client.next('disconnect', 3000);
    expect(disconnect.reasonCode).toBe(0x8d);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it('[MQTT-3.2.2-21] 5.0: a keepalive above the maximum is lowered and announced as Server Keep Alive', async () => {
    const { connack } = await MemoryClient.connect(broker({ limits: { maxKeepAlive: 30 } }), { protocolVersion: 5, keepalive: 600 });
    expect(connack.properties?.serverKeepAlive).toBe(30);
  });

  it('refuses with CONNACK 0x86 / 4 when authenticate says no, and lets a hook pick the code', async () => {
    const b = broker({ hooks: { authenticate: (request) => (request.username === 'banned' ? { reasonCode: 0x8a } : request.username === 'ok') } });
    const bad4 = new MemoryClient(b, 4);
    bad4.send({ type: 'connect', protocolVersion: 4, clientId: 'x', clean: true, keepalive: 0, username: 'nope' });
    expect((await bad4.next('connack')).reasonCode).toBe(4);
    const bad5 = new MemoryClient(b, 5);
    bad5.send({ type: 'connect', protocolVersion: 5, clientId: 'y', clean: true, keepalive: 0, username: 'nope' });
    expect((await bad5.next('connack')).reasonCode).toBe(0x86);
    const banned = new MemoryClient(b, 5);
    banned.send({ type: 'connect', protocolVersion: 5, clientId: 'z', clean: true, keepalive: 0, username: 'banned' });
    expect((await banned.next('connack')).reasonCode).toBe(0x8a);
    const { connack } = await MemoryClient.connect(b, { username: 'ok' });
    expect(connack.reasonCode).toBe(0);
  });

  it('an authenticate hook that throws refuses that client only; the broker keeps serving', async () => {
    const b = broker({ hooks: { authenticate: (request) => { if (request.clientId === 'boom') throw new Error('hook bug'); return true; } } });
    const boom = new MemoryClient(b, 5);
    boom.send({ type: 'connect', protocolVersion: 5, clientId: 'boom', clean: true, keepalive: 0 });
    expect((await boom.next('connack')).reasonCode).toBe(0x88);
    const { connack } = await MemoryClient.connect(b, { clientId: 'fine' });
    expect(connack.reasonCode).toBe(0);
  });
});
