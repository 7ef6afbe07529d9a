/**
 * protocol-error-close.test.ts over the WebSocket listener: a persistent 5.0 client whose output is congested
 * sends a protocol error. It gets what was already written, then DISCONNECT 0x82, then a clean close (close
 * frame 1000, no reset), and on reconnecting every QoS 1 message, DUP set only on those sent and not acknowledged.
 */
import { once } from 'node:events';
import { encode, PacketDecoder, type ConnectPacket, type Packet, type PublishPacket } from '@mqttkit/core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MqttBroker } from '../src/create-broker.ts';
import { startBroker } from './support/brokers.ts';
import { publishUntilCongested } from './support/congestion.ts';

const PINGREQ = Uint8Array.of(0xc0, 0x00);
/** [MQTT-3.1.0-2] A second CONNECT on a connection is a protocol error: DISCONNECT 0x82. */
const SECOND_CONNECT = encode({ type: 'connect', protocolVersion: 5, clientId: 'again', clean: true, keepalive: 0 }, 5);
const SUBSCRIBE_FLOOD = encode({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'flood/#', qos: 1 }] }, 5);

/** A bare MQTT 5.0 client over WebSocket that acknowledges nothing and records how the connection ended. */
class WsMqtt {
  readonly received: Packet[] = [];
  readonly errors: string[] = [];
  closeCode: number | undefined;
  private readonly decoder = new PacketDecoder({ version: 5 });
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.received.push(...this.decoder.push(data));
      this.wake();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.errors.push(error.code ?? error.message));
    socket.on('close', (code: number) => {
      this.closeCode = code;
      this.wake();
    });
  }

  /** Opens `/mqtt` with subprotocol mqtt, sends CONNECT and waits for the CONNACK. */
  static async connect(port: number, connect: Partial<ConnectPacket> & { clientId: string }): Promise<WsMqtt> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/mqtt`, 'mqtt');
    await once(socket, 'open');
    const client = new WsMqtt(socket);
    client.write(encode({ type: 'connect', protocolVersion: 5, clean: true, keepalive: 0, ...connect }, 5));
    await client.until(() => client.received.length > 0, 'CONNACK');
    return client;
  }

  /** One binary frame. */
  write(bytes: Uint8Array): void {
    this.socket.send(bytes, { binary: true });
  }

  get publishes(): PublishPacket[] {
    return this.received.filter((p): p is PublishPacket => p.type === 'publish');
  }

  /** Resolves when `ready()` holds, checked on every frame and on the close; rejects after 10 s. */
  async until(ready: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!ready()) {
      if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}; received ${this.received.map((p) => p.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

const persistent = (clientId: string) => ({ protocolVersion: 5 as const, clientId, properties: { sessionExpiryInterval: 300 } });
const topics = (count: number): string[] => Array.from({ length: count }, (_, i) => `flood/${i}`);

/** The broker closes `client` for its protocol error; checks how, and returns the topics it got before. */
async function closedForProtocolError(broker: MqttBroker, client: WsMqtt, input: Uint8Array): Promise<string[]> {
  const closedByBroker = once(broker, 'disconnect');
  client.write(input);
  await closedByBroker;
  // Not having read the DISCONNECT yet, the client sends the rest of its stream, one small frame per turn.
  for (let turn = 0; turn < 4; turn++) {
    client.write(PINGREQ);
    await new Promise((resolve) => setImmediate(resolve));
  }
  client.socket.resume();
  await client.until(() => client.closeCode !== undefined, 'the close');
  expect(client.received.at(-1)).toMatchObject({ type: 'disconnect', reasonCode: 0x82 });
  expect(client.received.filter((p) => p.type === 'disconnect')).toHaveLength(1);
  expect(client.closeCode).toBe(1000);
  expect(client.errors).toEqual([]);
  return client.publishes.map((p) => p.topic);
}

/** Reconnects the persistent session and returns the first `count` PUBLISHes it gets. */
async function reconnectAndCollect(port: number, clientId: string, count: number): Promise<PublishPacket[]> {
  const client = await WsMqtt.connect(port, { ...persistent(clientId), clean: false });
  expect(client.received[0]).toMatchObject({ type: 'connack', sessionPresent: true });
  await client.until(() => client.publishes.length >= count, `${count} messages`);
  client.socket.terminate();
  return client.publishes.slice(0, count);
}

describe('over WebSocket, a connection closed for a protocol error while its deliveries are queued', () => {
  it('[MQTT-3.1.0-2] [MQTT-3.14.4-1] congested by its own SUBSCRIBE: DISCONNECT 0x82 last, close 1000; the session keeps the rest', async () => {
    const broker = await startBroker({ limits: { maxWriteBuffer: 16 * 1024 } });
    const all = topics(64);
    for (const topic of all) broker.publish({ topic, payload: new Uint8Array(1024), qos: 1, retain: true });
    const client = await WsMqtt.connect(broker.ports.ws!, persistent('ws-victim'));
    client.socket.pause();
    // The retained flood passes maxWriteBuffer and the protocol error follows in the same frame, so the same turn.
    const input = new Uint8Array(SUBSCRIBE_FLOOD.length + SECOND_CONNECT.length);
    input.set(SUBSCRIBE_FLOOD);
    input.set(SECOND_CONNECT, SUBSCRIBE_FLOOD.length);
    const beforeClose = await closedForProtocolError(broker, client, input);
    expect(client.received.slice(0, 2).map((p) => p.type)).toEqual(['connack', 'suback']);
    expect(beforeClose).toEqual(all.slice(0, beforeClose.length));
    expect(beforeClose.length).toBeGreaterThan(0);
    expect(beforeClose.length).toBeLessThan(all.length);

    const resent = await reconnectAndCollect(broker.ports.ws!, 'ws-victim', all.length);
    expect(resent.map((p) => p.topic)).toEqual(all);
    // [MQTT-4.4.0-1] The unacknowledged ones again with DUP set, then the ones never sent, as first deliveries.
    expect(resent.map((p) => p.dup)).toEqual(all.map((_, i) => i < beforeClose.length));
  });

  it('[MQTT-4.4.0-1] with its socket buffers full: DISCONNECT 0x82 after what was written, close 1000, every QoS 1 message on reconnect', async () => {
    const broker = await startBroker({ limits: { maxWriteBuffer: 64 * 1024, maxInflight: 1000 } });
    const client = await WsMqtt.connect(broker.ports.ws!, persistent('ws-keeper'));
    client.write(SUBSCRIBE_FLOOD);
    await client.until(() => client.received.some((p) => p.type === 'suback'), 'SUBACK');
    client.socket.pause(); // stops reading
    const published = await publishUntilCongested(broker, 'ws-keeper', 8);

    const all = topics(published);
    expect(await closedForProtocolError(broker, client, SECOND_CONNECT)).toEqual(all.slice(0, published - 8));

    const resent = await reconnectAndCollect(broker.ports.ws!, 'ws-keeper', published);
    expect(resent.map((p) => p.topic)).toEqual(all);
    expect(resent.map((p) => p.dup)).toEqual(all.map((_, i) => i < published - 8));
  });
});
