/**
 * The client's Maximum Packet Size (5.0 CONNECT) bounds everything the broker sends it: an application message
 * too large is dropped for that client alone, and an acknowledgement or DISCONNECT loses its Reason String (the
 * optional part) rather than being dropped itself.
 */
import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

const refuseAll = { authorizePublish: () => false };

describe('conformance: the client maximum packet size', () => {
  it.each([
    { id: 'MQTT-3.4.2-2', qos: 1 as const, ack: 'puback' as const },
    { id: 'MQTT-3.5.2-2', qos: 2 as const, ack: 'pubrec' as const },
  ])('[$id] a refusing $ack drops its reason string to fit, and still arrives', async ({ qos, ack }) => {
    const broker = memoryBroker({ hooks: refuseAll });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, properties: { maximumPacketSize: 16 } });
    client.send({ type: 'publish', topic: 'locked', payload: text('x'), qos, retain: false, dup: false, packetId: 7 });
    const refusal = await client.next(ack);
    expect([refusal.packetId, refusal.reasonCode, refusal.properties?.reasonString]).toEqual([7, 0x87, undefined]);
  });

  it('[MQTT-3.4.2-2] with room to spare the reason string is kept', async () => {
    const broker = memoryBroker({ hooks: refuseAll });
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, properties: { maximumPacketSize: 1024 } });
    client.send({ type: 'publish', topic: 'locked', payload: text('x'), qos: 1, retain: false, dup: false, packetId: 7 });
    expect((await client.next('puback')).properties?.reasonString).toBe('not authorized');
  });

  it('[MQTT-3.14.2-3] a takeover DISCONNECT 0x8E drops its reason string to fit, and still arrives', async () => {
    const broker = memoryBroker();
    const { client: first } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'small', properties: { maximumPacketSize: 16 } });
    await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'small' });
    const disconnect = await first.next('disconnect');
    expect([disconnect.reasonCode, disconnect.properties?.reasonString]).toEqual([0x8e, undefined]);
    await first.closed();
  });

  it('[MQTT-3.14.2-3] a protocol-error DISCONNECT drops its reason string to fit, and still arrives', async () => {
    const { client } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5, properties: { maximumPacketSize: 16 } });
    client.send({ type: 'publish', topic: 't', payload: text('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 99 } });
    expect((await client.next('disconnect')).reasonCode).toBe(0x94);
    await client.closed();
  });

  it('[MQTT-3.1.2-24] [MQTT-3.1.2-25] a QoS 0 message too large for one subscriber is dropped for it alone; its connection stays', async () => {
    const broker = memoryBroker();
    const { client: small } = await MemoryClient.connect(broker, { protocolVersion: 5, properties: { maximumPacketSize: 32 } });
    const { client: large } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    await small.subscribe('m/#');
    await large.subscribe('m/#');
    broker.publish({ topic: 'm/big', payload: 'x'.repeat(64) });
    broker.publish({ topic: 'm/small', payload: 'ok' });
    expect(str((await large.next('publish')).payload)).toBe('x'.repeat(64));
    expect(str((await small.next('publish')).payload)).toBe('ok');
    small.send({ type: 'pingreq' });
    await small.next('pingresp');
    expect(small.closedByBroker).toBe(false);
  });
});
