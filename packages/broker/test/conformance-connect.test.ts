/**
 * CONNECT edge cases: what the broker does with packets pipelined behind a CONNECT it refuses, assigned client
 * identifiers, and a 3.1.1 takeover.
 */
import { encode, type ConnectPacket } from '@mqttkit/core';
import { describe, expect, it } from 'vitest';
import { MemoryClient, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';
import type { Broker } from '../src/broker.ts';

/** A CONNECT and a retained PUBLISH in one write, as a client that does not wait for CONNACK sends them. */
function connectThenPublish(broker: Broker, connect: Partial<ConnectPacket>): MemoryClient {
  const version = connect.protocolVersion ?? 4;
  const client = new MemoryClient(broker, version);
  const bytes = [
    encode({ type: 'connect', protocolVersion: version, clientId: 'eager', clean: true, keepalive: 0, ...connect }, version),
    encode({ type: 'publish', topic: 'pipelined', payload: text('x'), qos: 0, retain: true, dup: false }, version),
  ];
  client.rawWrite(Buffer.concat(bytes));
  return client;
}

describe('conformance: CONNECT', () => {
  it('[MQTT-3.1.2-24] a CONNACK larger than the client\'s Maximum Packet Size is not sent: the connection closes at once', async () => {
    const broker = memoryBroker();
    const client = new MemoryClient(broker, 5);
    // The accepting CONNACK carries Receive Maximum, Maximum Packet Size and Topic Alias Maximum: 16 bytes.
    client.send({ type: 'connect', protocolVersion: 5, clientId: 'tiny', clean: true, keepalive: 0, properties: { maximumPacketSize: 12 } });
    await client.closed();
    expect(client.received).toEqual([]);
    expect(broker.sessions.has('tiny')).toBe(false);
    // A client allowing it gets it.
    const { connack } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'roomy', properties: { maximumPacketSize: 64 } });
    expect(connack.reasonCode).toBe(0);
  });

  it('5.0 3.1.2.11.10: Authentication Data without an Authentication Method is refused with CONNACK 0x82', async () => {
    const broker = memoryBroker();
    const { client, connack } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'data-only', properties: { authenticationData: text('x') } });
    expect(connack.reasonCode).toBe(0x82);
    await client.closed();
    expect(broker.sessions.has('data-only')).toBe(false);
  });

  it('[MQTT-3.1.4-6] packets pipelined behind a CONNECT refused at once are not processed', async () => {
    const broker = memoryBroker({ limits: { maxClientIdLength: 3 } });
    const client = connectThenPublish(broker, { protocolVersion: 5 });
    expect((await client.next('connack')).reasonCode).toBe(0x85);
    await client.closed();
    expect(broker.retained.size).toBe(0);
  });

  it('[MQTT-3.1.4-6] packets pipelined behind a CONNECT refused by an async hook are not processed', async () => {
    const broker = memoryBroker({ hooks: { authenticate: async () => false } });
    const client = connectThenPublish(broker, {});
    expect((await client.next('connack')).reasonCode).toBe(4);
    await client.closed();
    expect(broker.retained.size).toBe(0);
  });

  it('[MQTT-3.1.4-5] packets pipelined behind an accepted CONNECT are processed after it', async () => {
    const broker = memoryBroker({ hooks: { authenticate: async () => true } });
    const client = connectThenPublish(broker, {});
    expect((await client.nextPacket()).type).toBe('connack');
    client.send({ type: 'pingreq' });
    await client.next('pingresp');
    expect(broker.retained.size).toBe(1);
  });

  it('[MQTT-3.2.2-16] [MQTT-3.1.3-7] each empty client id is assigned a new one: no takeover between them', async () => {
    const broker = memoryBroker();
    const first = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: '' });
    const second = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: '' });
    const ids = [first.connack.properties?.assignedClientIdentifier, second.connack.properties?.assignedClientIdentifier];
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(ids[0]).not.toBe(ids[1]);
    expect(await first.client.nothingWithin(30)).toBe(true);
    expect(broker.connectedCount).toBe(2);
  });

  it('[MQTT-3.1.4-3] 3.1.1 takeover: the old connection is closed without a packet', async () => {
    const broker = memoryBroker();
    const first = await MemoryClient.connect(broker, { clientId: 'same' });
    await MemoryClient.connect(broker, { clientId: 'same' });
    await first.client.closed();
    expect(first.client.received).toEqual([]);
  });

  it('[MQTT-3.2.2-22] 5.0 without a keep alive limit the client\'s value stands: no Server Keep Alive', async () => {
    const { connack } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5, keepalive: 30 });
    expect(connack.properties?.serverKeepAlive).toBeUndefined();
  });

  it('[MQTT-3.2.2-8] a hook refusing with a code CONNACK cannot carry gets CONNACK 0x80; CONNACK codes stand', async () => {
    const broker = memoryBroker({ hooks: { authenticate: ({ username }) => ({ reasonCode: username === 'admin-action' ? 0x98 : 0x9c, serverReference: 'other:1883' }) } });
    const refused = (username: string) => MemoryClient.connect(broker, { protocolVersion: 5, username }).then(({ connack }) => connack.reasonCode);
    expect(await refused('admin-action')).toBe(0x80);
    expect(await refused('moved')).toBe(0x9c);
  });
});
