/**
 * A connection closed for a protocol error while deliveries wait for it (broker fuzz, seed 11, case #6978):
 * the DISCONNECT is the last packet it gets, the close is orderly (a reset would throw away the DISCONNECT
 * unread), and a persistent session keeps every QoS 1 message for the next connection.
 */
import { once } from 'node:events';
import { encode, type ConnectPacket, type Packet, type PublishPacket } from '@mqttkit/core';
import { describe, expect, it } from 'vitest';
import { RawMqtt } from '../../../test/support/raw-mqtt.ts';
import { defaultLimits } from '../src/limits.ts';
import { BrokerStats } from '../src/stats.ts';
import { WireLink, type Transport } from '../src/wire.ts';
import { startBroker } from './support/brokers.ts';
import { publishUntilCongested } from './support/congestion.ts';

const PINGREQ = Uint8Array.of(0xc0, 0x00);
/** [MQTT-3.1.0-2] A second CONNECT on a connection is a protocol error: DISCONNECT 0x82. */
const SECOND_CONNECT = encode({ type: 'connect', protocolVersion: 5, clientId: 'again', clean: true, keepalive: 0 }, 5);

function subscribeBytes(filter: string): Uint8Array {
  return encode({ type: 'subscribe', packetId: 1, subscriptions: [{ filter, qos: 1 }] }, 5);
}

/** Records the socket errors and whether the broker's side ended with a FIN (an orderly close) rather than a reset. */
function watchClose(client: RawMqtt): { errors: string[]; ended: () => boolean } {
  const errors: string[] = [];
  let ended = false;
  client.socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
  client.socket.on('end', () => (ended = true));
  return { errors, ended: () => ended };
}

/** Reconnects a persistent session and returns the first `count` PUBLISHes it gets (acknowledging them). */
async function reconnectAndCollect(port: number, connect: Partial<ConnectPacket> & { clientId: string }, count: number): Promise<PublishPacket[]> {
  const { client, connack } = await RawMqtt.connect(port, { ...connect, clean: false });
  expect(connack.sessionPresent).toBe(true);
  // onPublish also gets the resent messages that came in the same read as the CONNACK, before it was set.
  const publishes: PublishPacket[] = [];
  client.onPublish = (packet) => publishes.push(packet);
  await client.until(() => publishes.length >= count, `${count} messages`);
  client.destroy();
  return publishes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(a.length + b.length);
  bytes.set(a);
  bytes.set(b, a.length);
  return bytes;
}

const topicsOf = (packets: Packet[]): string[] => packets.flatMap((p) => (p.type === 'publish' ? [p.topic] : []));

describe('a connection closed for a protocol error while its deliveries are queued', () => {
  it('[MQTT-3.1.0-2] [MQTT-3.14.4-1] DISCONNECT 0x82 is the last packet and the close is orderly; the session keeps the rest', async () => {
    const broker = await startBroker({ limits: { maxWriteBuffer: 16 * 1024 } });
    // Retained messages answer a SUBSCRIBE with a flood in one turn: more than maxWriteBuffer, so the rest queue.
    const retained = 64;
    const all = Array.from({ length: retained }, (_, i) => `flood/${i}`);
    for (const topic of all) broker.publish({ topic, payload: new Uint8Array(1024), qos: 1, retain: true });
    const connect = { protocolVersion: 5 as const, clientId: 'victim', properties: { sessionExpiryInterval: 300 } };
    const { client } = await RawMqtt.connect(broker.ports.tcp!, connect, { autoAck: false });
    const close = watchClose(client);
    client.socket.pause();
    const closedByBroker = once(broker, 'disconnect');
    // As in the fuzz case: the flood and the protocol error are read in the same turn.
    client.write(concat(subscribeBytes('flood/#'), SECOND_CONNECT));
    await closedByBroker;
    // Not having read the DISCONNECT yet, the client sends the rest of its stream, one small packet per turn.
    for (let turn = 0; turn < 4; turn++) {
      client.write(PINGREQ);
      await new Promise((resolve) => setImmediate(resolve));
    }
    client.socket.resume();
    await client.waitClosed();

    const types = client.received.map((p) => p.type);
    expect(types.slice(0, 2)).toEqual(['connack', 'suback']);
    expect(client.received.at(-1)).toMatchObject({ type: 'disconnect', reasonCode: 0x82 });
    expect(close.errors).toEqual([]);
    expect(close.ended()).toBe(true);
    expect(types.filter((type) => type === 'disconnect')).toHaveLength(1);
    // The flood really congested the link: some deliveries went out before the DISCONNECT, the rest never did.
    const beforeClose = topicsOf(client.received);
    expect(beforeClose).toEqual(all.slice(0, beforeClose.length));
    expect(beforeClose.length).toBeGreaterThan(0);
    expect(beforeClose.length).toBeLessThan(retained);

    const resent = await reconnectAndCollect(broker.ports.tcp!, connect, retained);
    expect(resent.map((p) => p.topic)).toEqual(all);
    // [MQTT-4.4.0-1] The unacknowledged ones again with DUP set, then the ones never sent, as first deliveries.
    expect(resent.map((p) => p.dup)).toEqual(all.map((_, i) => i < beforeClose.length));
  });

  it('[MQTT-4.4.0-1] with its socket buffers full, a persistent session still gets DISCONNECT 0x82, then every QoS 1 message on reconnect', async () => {
    const broker = await startBroker({ limits: { maxWriteBuffer: 64 * 1024, maxInflight: 1000 } });
    const connect = { protocolVersion: 5 as const, clientId: 'keeper', properties: { sessionExpiryInterval: 300 } };
    const { client } = await RawMqtt.connect(broker.ports.tcp!, connect, { autoAck: false });
    client.write(subscribeBytes('flood/#'));
    await client.next('suback');
    // Stop reading: the kernel buffers fill, then the socket's own buffer passes maxWriteBuffer.
    client.socket.pause();
    const published = await publishUntilCongested(broker, 'keeper', 8);

    const close = watchClose(client);
    const closedByBroker = once(broker, 'disconnect');
    client.write(SECOND_CONNECT);
    await closedByBroker;
    client.socket.resume();
    await client.waitClosed();
    expect(close.errors).toEqual([]);
    expect(close.ended()).toBe(true);
    expect(client.received.at(-1)).toMatchObject({ type: 'disconnect', reasonCode: 0x82 });
    const all = Array.from({ length: published }, (_, i) => `flood/${i}`);
    expect(topicsOf(client.received)).toEqual(all.slice(0, published - 8));

    const resent = await reconnectAndCollect(broker.ports.tcp!, connect, published);
    expect(resent.map((p) => p.topic)).toEqual(all);
    expect(resent.map((p) => p.dup)).toEqual(all.map((_, i) => i < published - 8));
  });

  it('closing writes what is queued, then nothing more, even when that write ends the link\'s congestion', async () => {
    const calls: string[] = [];
    const transport: Transport = {
      remoteAddress: 'test',
      bufferedAmount: 0, // the kernel took every byte
      start() {},
      write: (chunk) => calls.push(`write ${chunk.length}`),
      end: () => calls.push('end'),
    };
    const link = new WireLink(transport, { ...defaultLimits, maxWriteBuffer: 8 }, new BrokerStats());
    // A drained link gets its session's queued messages, as the broker's drainSession does.
    link.attach({ packet() {}, error() {}, closed() {}, drained: () => link.sendBytes(new Uint8Array(5)) });
    link.sendBytes(new Uint8Array(16));
    expect(link.congested).toBe(true);
    link.sendBytes(Uint8Array.of(0xe0, 0x01, 0x82)); // DISCONNECT 0x82
    link.close();
    // The flush scheduled for anything sent meanwhile runs before this.
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['write 19', 'end']);
  });
});
