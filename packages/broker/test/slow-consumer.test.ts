import net from 'node:net';
import { encode } from '@mqttkit/core';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startBroker } from './support/brokers.ts';

describe('a slow consumer over real TCP', () => {
  it('never grows the broker without bound and never holds back a fast subscriber', async () => {
    const maxQueued = 100;
    const broker = await startBroker({ limits: { maxQueued, maxWriteBuffer: 64 * 1024 } });
    // A subscriber that connects, subscribes, then stops reading its socket.
    const slow = net.connect(broker.ports.tcp!, '127.0.0.1');
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.write(encode({ type: 'connect', protocolVersion: 4, clientId: 'slow', clean: true, keepalive: 0 }, 4));
    slow.write(encode({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'flood', qos: 1 }] }, 4));
    await new Promise<void>((resolve) => slow.once('data', () => resolve()));
    const subscribed = () => broker.sessions.get('slow')?.subscriptions.size === 1;
    for (let i = 0; i < 100 && !subscribed(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    slow.pause();

    const fast = await mqtt.connectAsync(broker.tcpUrl, { reconnectPeriod: 0 });
    let fastGot = 0;
    let wake = () => {};
    fast.on('message', () => {
      fastGot++;
      wake();
    });
    await fast.subscribeAsync('flood', { qos: 0 });
    const publisher = await mqtt.connectAsync(broker.tcpUrl, { reconnectPeriod: 0 });
    const payload = Buffer.alloc(4096, 0x61); // 20 MB in all: far more than the socket buffers hold
    const total = 5000;
    // Paced by the fast subscriber (50 at a time): it gets every message while the slow one stalls.
    for (let sent = 0; sent < total; ) {
      for (let i = 0; i < 50; i++, sent++) publisher.publish('flood', payload, { qos: 0 });
      while (fastGot < sent) await new Promise<void>((resolve) => (wake = resolve));
    }
    expect(fastGot).toBe(total);
    const session = broker.sessions.get('slow')!;
    expect(session.queue.length).toBeLessThanOrEqual(maxQueued);
    expect(session.inflight.size).toBeLessThanOrEqual(broker.limits.maxInflight);
    expect(broker.stats.messagesDropped).toBeGreaterThan(0);
    slow.destroy();
    await Promise.all([fast.endAsync(), publisher.endAsync()]);
  }, 60_000);
});
