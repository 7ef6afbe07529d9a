/** The WebSocket transport with a fake socket and the real codec: subprotocol, framing, coalescing, streaming decode. */
import { describe, expect, it } from 'vitest';
import { decode, encode, PacketDecoder } from '../../src/codec/index.ts';
import type { Packet } from '../../src/codec/packets.ts';
import { openWebSocket } from '../../src/client/websocket-transport.ts';
import type { TransportEvents } from '../../src/client/transport.ts';
import type { EventHandler, WebSocketLike } from '../../src/client/types.ts';
import { type ClientEncoders, CORE_ENCODERS, SESSION_ENCODERS } from '../../src/client/wire-codec.ts';
import { InvalidArgumentError } from '../../src/errors.ts';

class FakeSocket implements WebSocketLike {
  static last: FakeSocket | undefined;
  binaryType = 'blob';
  readyState = 0;
  protocol = 'mqtt';
  frames: Uint8Array[] = [];
  closedWith: number | undefined;
  onopen: EventHandler<unknown> = null;
  onclose: EventHandler<{ code: number; reason: string }> = null;
  onerror: EventHandler<unknown> = null;
  onmessage: EventHandler<{ data: unknown }> = null;

  constructor(
    readonly url: string,
    readonly protocols: string | string[],
  ) {
    FakeSocket.last = this;
  }
  send(data: Uint8Array | ArrayBuffer): void {
    this.frames.push(new Uint8Array(data instanceof ArrayBuffer ? data : data.slice()));
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(bytes: Uint8Array): void {
    // Browsers and ws (binaryType arraybuffer) hand over an ArrayBuffer of exactly the frame.
    this.onmessage?.({ data: bytes.slice().buffer });
  }
}

/** What a client with the `session` feature sends. */
const SESSION_CLIENT: ClientEncoders = { ...CORE_ENCODERS, ...SESSION_ENCODERS };

function open(version: 4 | 5 = 5, encoders = SESSION_CLIENT) {
  const log: string[] = [];
  const packets: Packet[] = [];
  const events: TransportEvents = {
    opened: () => log.push('opened'),
    packet: (packet) => packets.push(packet),
    wrote: () => log.push('wrote'),
    closed: (error) => log.push(`closed:${error?.code ?? 'clean'}`),
  };
  const transport = openWebSocket({ url: 'ws://x/mqtt', protocolVersion: version, maximumPacketSize: undefined, WebSocket: FakeSocket, encoders }, events);
  const socket = FakeSocket.last!;
  return { transport, socket, log, packets };
}

const publish = (i: number): Packet => ({ type: 'publish', topic: `t/${i}`, payload: new Uint8Array(64).fill(i), qos: 0, retain: false, dup: false });

describe('WebSocket transport', () => {
  it('offers exactly the subprotocol "mqtt" (a string, not a list) and asks for ArrayBuffers', () => {
    const { socket } = open();
    expect(socket.protocols).toBe('mqtt');
    expect(socket.binaryType).toBe('arraybuffer');
    expect(socket.url).toBe('ws://x/mqtt');
  });

  it('coalesces every packet written in the same tick into one frame', async () => {
    const { transport, socket, log } = open();
    socket.open();
    for (let i = 0; i < 100; i++) transport.send(publish(i));
    expect(socket.frames).toHaveLength(0);
    await Promise.resolve();
    expect(socket.frames).toHaveLength(1);
    expect(log.filter((entry) => entry === 'wrote')).toHaveLength(1);
    const decoded = new PacketDecoder({ version: 5 }).push(socket.frames[0]!);
    expect(decoded).toEqual(Array.from({ length: 100 }, (_, i) => publish(i)));
    transport.send(publish(100));
    await Promise.resolve();
    expect(socket.frames).toHaveLength(2);
  });

  it('decodes packets split across frames at every byte, and several packets in one frame', () => {
    const packets: Packet[] = [
      publish(1),
      { type: 'puback', packetId: 7 },
      { type: 'suback', packetId: 8, reasonCodes: [0, 0x80] },
      { type: 'pingresp' },
    ];
    const bytes = Uint8Array.from(packets.flatMap((p) => [...encode(p, 5)]));
    // What the codec decodes each packet to on its own (it may spell out defaults such as reasonCode 0).
    const expected = packets.map((p) => decode(encode(p, 5), 5));
    for (let cut = 1; cut < bytes.length; cut++) {
      const { socket, packets: got } = open();
      socket.open();
      socket.receive(bytes.subarray(0, cut));
      socket.receive(bytes.subarray(cut));
      expect(got).toEqual(expected);
    }
  });

  it('a malformed frame closes the socket and reports the decoder error once', () => {
    const { socket, log } = open();
    socket.open();
    socket.receive(new Uint8Array([0x00, 0x00]));
    expect(socket.closedWith).toBe(1002);
    expect(log.filter((entry) => entry.startsWith('closed'))).toEqual(['closed:MALFORMED_PACKET']);
  });

  it('a frame holding packets then a malformed one delivers those packets first, then closes with the error', () => {
    const { socket, log, packets } = open(4);
    socket.open();
    // CONNACK accepted, PUBLISH QoS 0 "a" → "x", then a packet of reserved type 0.
    socket.receive(new Uint8Array([0x20, 0x02, 0x00, 0x00, 0x30, 0x04, 0x00, 0x01, 0x61, 0x78, 0x00, 0x00]));
    expect(packets.map((p) => p.type)).toEqual(['connack', 'publish']);
    expect(socket.closedWith).toBe(1002);
    expect(log.filter((entry) => entry.startsWith('closed'))).toEqual(['closed:MALFORMED_PACKET']);
  });

  it('a packet only a client may send (SUBSCRIBE) arriving from the server closes with a ProtocolError', () => {
    const { socket, log, packets } = open(4);
    socket.open();
    socket.receive(encode({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'a', qos: 0 }] }, 4));
    expect(packets).toEqual([]);
    expect(socket.closedWith).toBe(1002);
    expect(log.filter((entry) => entry.startsWith('closed'))).toEqual(['closed:PROTOCOL_ERROR']);
  });

  it('sends every packet type a client sends, and refuses server-only ones (SUBACK) with InvalidArgumentError', () => {
    const { transport, socket } = open(5);
    socket.open();
    const sent: Packet[] = [
      { type: 'connect', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 10 },
      publish(1),
      { type: 'puback', packetId: 1 },
      { type: 'pubrec', packetId: 2 },
      { type: 'pubrel', packetId: 2 },
      { type: 'pubcomp', packetId: 2 },
      { type: 'subscribe', packetId: 3, subscriptions: [{ filter: 'a/#', qos: 1 }] },
      { type: 'unsubscribe', packetId: 4, filters: ['a/#'] },
      { type: 'pingreq' },
      { type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'm' } },
      { type: 'disconnect' },
    ];
    for (const packet of sent) transport.send(packet);
    expect(() => transport.send({ type: 'suback', packetId: 3, reasonCodes: [1] })).toThrow(InvalidArgumentError);
    transport.close();
    const decoder = new PacketDecoder({ version: 5 });
    expect(decoder.push(socket.frames[0]!).map((p) => p.type)).toEqual(sent.map((p) => p.type));
  });

  it('a client without the session feature has no PUBLISH encoder: sending one throws InvalidArgumentError', () => {
    const { transport, socket } = open(5, CORE_ENCODERS);
    socket.open();
    expect(() => transport.send(publish(1))).toThrow(/does not send publish/);
    expect(() => transport.send({ type: 'pubrec', packetId: 1 })).toThrow(InvalidArgumentError);
    transport.send({ type: 'puback', packetId: 1 });
    transport.close();
    expect(socket.frames.map((frame) => decode(frame, 5))).toEqual([{ type: 'puback', packetId: 1, reasonCode: 0 }]);
  });

  it('close() flushes what is queued first (DISCONNECT reaches the server)', () => {
    const { transport, socket } = open(4);
    socket.open();
    transport.send({ type: 'disconnect' });
    transport.close();
    expect(socket.frames.map((frame) => decode(frame, 4))).toEqual([{ type: 'disconnect' }]);
    expect(socket.closedWith).toBe(1000);
  });

  it('refuses a packet larger than the server maximum packet size, naming the sizes', () => {
    const { transport, socket } = open();
    socket.open();
    transport.maximumPacketSize = 50;
    expect(() => transport.send(publish(1))).toThrow(/exceeds the server's maximum packet size of 50/);
  });

  it('reports a socket close with its code', () => {
    const { socket, log } = open();
    socket.open();
    socket.onclose?.({ code: 1006, reason: '' });
    expect(log.at(-1)).toBe('closed:CONNECTION_LOST');
  });

  it('without a WebSocket (Node 20) throws InvalidArgumentError explaining to pass ws', () => {
    const events = { opened() {}, packet() {}, wrote() {}, closed() {} };
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    delete global.WebSocket;
    try {
      expect(() => openWebSocket({ url: 'ws://x', protocolVersion: 5, maximumPacketSize: undefined, WebSocket: undefined, encoders: SESSION_CLIENT }, events)).toThrow(
        InvalidArgumentError,
      );
    } finally {
      if (saved !== undefined) global.WebSocket = saved;
    }
  });
});
