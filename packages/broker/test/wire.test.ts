import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { encode, PacketDecoder, type Packet } from '@mqttkit/core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import { startBroker } from './support/brokers.ts';

const connect5: Packet = { type: 'connect', protocolVersion: 5, clientId: 'wire', clean: true, keepalive: 0 };

/** A raw WebSocket MQTT client that records every frame the broker sends. */
async function rawWs(url: string): Promise<{ socket: WebSocket; frames: Packet[][]; next(count: number): Promise<Packet[]> }> {
  const socket = new WebSocket(url, 'mqtt');
  const decoder = new PacketDecoder({ version: 5 });
  const frames: Packet[][] = [];
  const packets: Packet[] = [];
  let wake = () => {};
  socket.on('message', (data: Buffer) => {
    const decoded = decoder.push(new Uint8Array(data));
    frames.push(decoded);
    packets.push(...decoded);
    wake();
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return {
    socket,
    frames,
    async next(count) {
      const deadline = Date.now() + 3000;
      while (packets.length < count && Date.now() < deadline) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 50)));
      return packets.splice(0, count);
    },
  };
}

describe('wire: framing and coalescing', () => {
  it('WebSocket: several packets in one frame and one packet split across frames are both read', async () => {
    const broker = await startBroker();
    const client = await rawWs(`ws://127.0.0.1:${broker.ports.ws}/mqtt`);
    expect(client.socket.protocol).toBe('mqtt');
    const bytes = [...encode(connect5, 5), ...encode({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'w', qos: 0 }] }, 5)];
    client.socket.send(Uint8Array.from(bytes.slice(0, 7)));
    client.socket.send(Uint8Array.from(bytes.slice(7)));
    const [connack, suback] = await client.next(2);
    expect(connack?.type).toBe('connack');
    expect(suback?.type).toBe('suback');
    client.socket.close();
  });

  it('WebSocket: only the /mqtt path upgrades (others get HTTP 404)', async () => {
    const broker = await startBroker();
    const refused = new WebSocket(`ws://127.0.0.1:${broker.ports.ws}/other`, 'mqtt');
    const outcome = await new Promise<string>((resolve) => {
      refused.once('open', () => resolve('open'));
      refused.once('error', (error) => resolve(error.message));
    });
    expect(outcome).toMatch(/404/);
  });

  it('WebSocket: a burst of messages to one subscriber leaves as one frame per event-loop turn', async () => {
    const broker = await startBroker();
    const client = await rawWs(`ws://127.0.0.1:${broker.ports.ws}/mqtt`);
    client.socket.send(encode(connect5, 5));
    client.socket.send(encode({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'burst', qos: 0 }] }, 5));
    await client.next(2);
    const before = client.frames.length;
    for (let i = 0; i < 50; i++) broker.publish({ topic: 'burst', payload: String(i) });
    const messages = await client.next(50);
    expect(messages).toHaveLength(50);
    expect(client.frames.length - before).toBe(1);
    client.socket.close();
  });

  it('TCP: malformed bytes close only that socket; the next client connects and gets its messages', async () => {
    const broker = await startBroker();
    const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.ports.tcp}`, { reconnectPeriod: 0 });
    await subscriber.subscribeAsync('alive', { qos: 1 });
    const bad = net.connect(broker.ports.tcp!, '127.0.0.1');
    await new Promise((resolve) => bad.once('connect', resolve));
    bad.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00]));
    await new Promise((resolve) => bad.once('close', resolve));
    const next = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.ports.tcp}`, { reconnectPeriod: 0 });
    const received = new Promise<string>((resolve) => subscriber.once('message', (_topic, payload) => resolve(payload.toString())));
    await next.publishAsync('alive', 'yes', { qos: 1 });
    expect(await received).toBe('yes');
    await Promise.all([subscriber.endAsync(), next.endAsync()]);
  });

  it('serves MQTT over TLS and WebSocket over TLS (mqtts, wss) with a key and certificate', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      const key = readFileSync(path.join(dir, 'key.pem'));
      const cert = readFileSync(path.join(dir, 'cert.pem'));
      const broker = await startBroker({ tls: { key, cert } });
      for (const url of [`mqtts://127.0.0.1:${broker.ports.tcp}`, `wss://127.0.0.1:${broker.ports.ws}/mqtt`]) {
        const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, ca: cert, rejectUnauthorized: true });
        const echoed = new Promise<string>((resolve) => client.once('message', (_topic, payload) => resolve(payload.toString())));
        await client.subscribeAsync('tls');
        await client.publishAsync('tls', url.split(':')[0]!);
        expect(await echoed).toBe(url.split(':')[0]);
        await client.endAsync();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
