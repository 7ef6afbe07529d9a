import { encode } from '@mqttkit/core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { binaryFrameHeader, FrameReader, type FrameEvents } from '../src/listeners/websocket-frames.ts';
import { startBroker } from './support/brokers.ts';

/** A client frame (masked), as a browser or MQTT.js sends it. */
function clientFrame(opcode: number, payload: Uint8Array, options: { fin?: boolean; mask?: boolean; rsv?: number } = {}): Uint8Array {
  const length = payload.length;
  const extended = length < 126 ? [] : length < 0x10000 ? [length >> 8, length & 0xff] : [0, 0, 0, 0, (length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff];
  const code = length < 126 ? length : length < 0x10000 ? 126 : 127;
  const masked = options.mask ?? true;
  const mask = [0x37, 0xfa, 0x21, 0x3d];
  const head = [((options.fin ?? true) ? 0x80 : 0) | (options.rsv ?? 0) | opcode, (masked ? 0x80 : 0) | code, ...extended, ...(masked ? mask : [])];
  const frame = new Uint8Array(head.length + length);
  frame.set(head);
  for (let i = 0; i < length; i++) frame[head.length + i] = masked ? payload[i]! ^ mask[i % 4]! : payload[i]!;
  return frame;
}

function recorder() {
  const log: string[] = [];
  const data: number[] = [];
  const views: Uint8Array[] = [];
  const events: FrameEvents = {
    data: (bytes) => {
      views.push(bytes);
      data.push(...bytes);
    },
    ping: (payload) => log.push(`ping ${[...payload].join(',')}`),
    closed: (code) => log.push(`closed ${code}`),
    failed: (code, reason) => log.push(`failed ${code} ${reason}`),
  };
  return { log, data, views, events };
}

const bytes = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) out.set(part, (offset += part.length) - part.length);
  return out;
};

describe('WebSocket frame reader', () => {
  it('[MQTT-6.0.0-2] frames split at every byte, or packed in one chunk, give the same MQTT byte stream', () => {
    const payloads = [bytes(5), bytes(0), bytes(130, 7), bytes(3, 9)];
    const stream = concat(clientFrame(2, payloads[0]!, { fin: false }), clientFrame(0, payloads[1]!, { fin: false }), clientFrame(0, payloads[2]!), clientFrame(2, payloads[3]!));
    const expected = [...concat(...payloads)];
    for (let split = 0; split <= stream.length; split++) {
      const { data, log, events } = recorder();
      const reader = new FrameReader(1 << 20);
      reader.push(stream.slice(0, split), events);
      reader.push(stream.slice(split), events);
      expect(data, `split at ${split}`).toEqual(expected);
      expect(log).toEqual([]);
    }
    const { data, events } = recorder();
    const reader = new FrameReader(1 << 20);
    for (const byte of stream) reader.push(Uint8Array.of(byte), events);
    expect(data).toEqual(expected);
  });

  it('bytes handed out are never overwritten by later chunks', () => {
    const { views, events } = recorder();
    const reader = new FrameReader(1 << 20);
    const first = concat(clientFrame(2, bytes(10, 1)), clientFrame(2, bytes(20, 2)).subarray(0, 9));
    reader.push(first, events);
    const snapshot = views.map((v) => [...v]);
    reader.push(clientFrame(2, bytes(20, 2)).subarray(9), events);
    reader.push(clientFrame(2, bytes(40, 3)), events);
    expect(views.slice(0, snapshot.length).map((v) => [...v])).toEqual(snapshot);
  });

  it('16- and 64-bit lengths; data before a ping or close is delivered first', () => {
    const { data, log, events } = recorder();
    const reader = new FrameReader(1 << 20);
    const big = bytes(70_000);
    reader.push(concat(clientFrame(2, bytes(300)), clientFrame(9, Uint8Array.of(1, 2)), clientFrame(2, big), clientFrame(8, Uint8Array.of(0x03, 0xe8)), clientFrame(2, bytes(1))), events);
    expect(data.length).toBe(300 + 70_000);
    expect(data.slice(300)).toEqual([...big]);
    expect(log).toEqual(['ping 1,2', 'closed 1000']);
  });

  it('[MQTT-6.0.0-1] a text frame closes with 1003; unmasked, reserved bits, fragmented control and oversize frames fail', () => {
    const cases: [Uint8Array, number][] = [
      [clientFrame(1, bytes(3)), 1003],
      [clientFrame(2, bytes(3), { mask: false }), 1002],
      [clientFrame(2, bytes(3), { rsv: 0x40 }), 1002],
      [clientFrame(9, bytes(3), { fin: false }), 1002],
      [clientFrame(2, bytes(2000)), 1009],
      [clientFrame(5, bytes(1)), 1002],
    ];
    for (const [frame, code] of cases) {
      const { log, events } = recorder();
      const reader = new FrameReader(1000);
      reader.push(frame, events);
      reader.push(clientFrame(2, bytes(1)), events); // nothing is read after a failure
      expect(log).toHaveLength(1);
      expect(log[0]).toMatch(new RegExp(`^failed ${code} `));
    }
  });

  it('server frame headers use the shortest length encoding', () => {
    expect([...binaryFrameHeader(125)]).toEqual([0x82, 125]);
    expect([...binaryFrameHeader(126)]).toEqual([0x82, 126, 0, 126]);
    expect([...binaryFrameHeader(65_535)]).toEqual([0x82, 126, 0xff, 0xff]);
    expect([...binaryFrameHeader(65_536)]).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
  });
});

describe('WebSocket listener', () => {
  function open(url: string, protocols: string | string[] = 'mqtt'): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols);
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  it('[MQTT-6.0.0-4] answers with subprotocol "mqtt", pongs pings, and carries MQTT across frames', async () => {
    const broker = await startBroker();
    const socket = await open(`ws://127.0.0.1:${broker.ports.ws}/mqtt`, ['mqtt', 'mqttv3.1']);
    expect(socket.protocol).toBe('mqtt');
    const pong = new Promise<string>((resolve) => socket.once('pong', (data) => resolve(data.toString())));
    socket.ping('are you there');
    expect(await pong).toBe('are you there');
    const connack = new Promise<Buffer>((resolve) => socket.once('message', (data: Buffer) => resolve(data)));
    const connect = encode({ type: 'connect', protocolVersion: 4, clientId: 'frames', clean: true, keepalive: 0 }, 4);
    socket.send(connect.subarray(0, 3));
    socket.send(connect.subarray(3));
    expect([...(await connack)]).toEqual([0x20, 2, 0, 0]);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.close(1000);
    expect(await closed).toBe(1000);
  });

  it('[MQTT-6.0.0-1] a text frame closes the connection (1003) and the broker keeps serving', async () => {
    const broker = await startBroker();
    const socket = await open(`ws://127.0.0.1:${broker.ports.ws}/mqtt`);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('CONNECT as text');
    expect(await closed).toBe(1003);
    const again = await open(`ws://127.0.0.1:${broker.ports.ws}/mqtt`, 'mqttv3.1');
    expect(again.protocol).toBe('mqttv3.1');
    again.terminate();
  });
});
