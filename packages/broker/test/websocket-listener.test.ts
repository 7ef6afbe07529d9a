import { encode, PacketDecoder, type Packet } from '@mqttkit/core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBroker } from './support/brokers.ts';

function open(url: string, protocols: string | string[] = 'mqtt'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

const closeCode = (socket: WebSocket): Promise<number> => new Promise((resolve) => socket.once('close', (code) => resolve(code)));

describe('WebSocket listener (ws)', () => {
  it('[MQTT-6.0.0-4] answers with subprotocol "mqtt", pongs pings, and carries MQTT across frames', async () => {
    const broker = await startBroker();
    const socket = await open(`ws://127.0.0.1:${broker.ports.ws}/mqtt`, ['mqttv3.1', 'mqtt']);
    expect(socket.protocol).toBe('mqtt');
    const pong = new Promise<string>((resolve) => socket.once('pong', (data) => resolve(data.toString())));
    socket.ping('are you there');
    expect(await pong).toBe('are you there');
    const connack = new Promise<Buffer>((resolve) => socket.once('message', (data: Buffer) => resolve(data)));
    const connect = encode({ type: 'connect', protocolVersion: 4, clientId: 'frames', clean: true, keepalive: 0 }, 4);
    socket.send(connect.subarray(0, 3));
    socket.send(connect.subarray(3));
    expect([...(await connack)]).toEqual([0x20, 2, 0, 0]);
    const closed = closeCode(socket);
    socket.close(1000);
    expect(await closed).toBe(1000);
  });

  it('[MQTT-6.0.0-1] a text frame closes the connection (1003) and the broker keeps serving', async () => {
    const broker = await startBroker();
    const socket = await open(`ws://127.0.0.1:${broker.ports.ws}/mqtt`);
    const closed = closeCode(socket);
    socket.send('CONNECT as text');
    expect(await closed).toBe(1003);
    const again = await open(`ws://127.0.0.1:${broker.ports.ws}/mqtt`, 'mqttv3.1');
    expect(again.protocol).toBe('mqttv3.1');
    again.terminate();
  });

  it('a frame over the payload limit closes with 1009; an unmasked client frame with 1002', async () => {
    const broker = await startBroker();
    const big = await open(`ws://127.0.0.1:${broker.ports.ws}/mqtt`);
    const tooBig = closeCode(big);
    big.send(new Uint8Array(8 * 1024 * 1024 + 4096));
    expect(await tooBig).toBe(1009);
    const unmasked = await open(`ws://127.0.0.1:${broker.ports.ws}/mqtt`);
    const protocolError = closeCode(unmasked);
    unmasked.send(encode({ type: 'pingreq' }, 4), { mask: false });
    expect(await protocolError).toBe(1002);
  });

  it('a subscriber that stops reading gets its queued messages, in order, once its socket drains', async () => {
    const broker = await startBroker({ limits: { maxWriteBuffer: 16 * 1024, maxQueued: 1000 } });
    const socket = await open(`ws://127.0.0.1:${broker.ports.ws}/mqtt`);
    const decoder = new PacketDecoder({ version: 4 });
    const received: Packet[] = [];
    let wake = () => {};
    socket.on('message', (data: Buffer) => {
      received.push(...decoder.push(new Uint8Array(data)));
      wake();
    });
    const until = async (done: () => boolean): Promise<void> => {
      while (!done()) await new Promise<void>((resolve) => (wake = resolve));
    };
    socket.send(encode({ type: 'connect', protocolVersion: 4, clientId: 'stalled', clean: true, keepalive: 0 }, 4));
    socket.send(encode({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'flood', qos: 0 }] }, 4));
    await until(() => received.some((packet) => packet.type === 'suback'));
    await new Promise((resolve) => setImmediate(resolve)); // out of ws's dispatch of that read before pausing
    socket.pause(); // stop reading: kernel buffers fill, then the broker's socket, then the session queue
    const total = 400;
    for (let i = 0; i < total; i++) {
      const payload = new Uint8Array(32 * 1024); // 12.8 MB in all
      payload[0] = i & 0xff;
      broker.publish({ topic: 'flood', payload });
    }
    // The broker sends a message per turn while the kernel takes bytes; once its socket backs up, the session
    // queue stops shrinking: only the socket's drain can restart it.
    const session = broker.sessions.get('stalled')!;
    let stillTurns = 0;
    for (let turn = 0, last = -1; turn < 100_000 && stillTurns < 50; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      stillTurns = session.queue.length === last ? stillTurns + 1 : 0;
      last = session.queue.length;
    }
    expect(stillTurns).toBe(50);
    expect(session.queue.length).toBeGreaterThan(0);
    socket.resume();
    await until(() => received.filter((packet) => packet.type === 'publish').length === total);
    const firstBytes = received.flatMap((packet) => (packet.type === 'publish' ? [packet.payload[0]] : []));
    expect(firstBytes).toEqual(Array.from({ length: total }, (_, i) => i & 0xff));
    socket.terminate();
  }, 30_000);

  it('the broker closing a connection (second CONNECT) sends a close frame the client sees', async () => {
    const broker = await startBroker();
    const socket = await open(`ws://127.0.0.1:${broker.ports.ws}/mqtt`);
    const connect = encode({ type: 'connect', protocolVersion: 4, clientId: 'twice', clean: true, keepalive: 0 }, 4);
    socket.send(connect);
    await new Promise((resolve) => socket.once('message', resolve));
    const closed = closeCode(socket);
    socket.send(connect); // [MQTT-3.1.0-2] a second CONNECT is a protocol violation: the broker closes
    expect(await closed).toBe(1000);
    expect(broker.connectedCount).toBe(0);
  });
});
