/**
 * Packets that arrive in the same chunk before a malformed one are handled first, in order, and only then does
 * the malformed packet close the connection: the answer must not depend on how TCP cut the stream.
 */
import { describe, expect, it } from 'vitest';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(/\s+/).filter(Boolean).map((b) => parseInt(b, 16)));

/** CONNECT, client id "c", clean, keepalive 0: 5.0 (empty properties) and 3.1.1. */
const CONNECT_5 = '10 0e 00 04 4d 51 54 54 05 02 00 00 00 00 01 63';
const CONNECT_4 = '10 0d 00 04 4d 51 54 54 04 02 00 00 00 01 63';
/** A packet of reserved type 0: malformed [MQTT-2.2.2-2]. */
const JUNK = '00 00';

describe('packets decoded before a malformed one in the same chunk', () => {
  it('[MQTT-4.13.1-1] 5.0: CONNECT + junk in one chunk gets CONNACK 0x00, then DISCONNECT 0x81', async () => {
    const client = new MemoryClient(memoryBroker(), 5);
    client.rawWrite(hex(`${CONNECT_5} ${JUNK}`));
    await client.closed();
    expect(client.received.map((p) => [p.type, 'reasonCode' in p ? p.reasonCode : undefined])).toEqual([
      ['connack', 0],
      ['disconnect', 0x81],
    ]);
  });

  it('[MQTT-4.8.0-1] 3.1.1: CONNECT + junk in one chunk gets CONNACK 0, then the connection closes', async () => {
    const client = new MemoryClient(memoryBroker(), 4);
    client.rawWrite(hex(`${CONNECT_4} ${JUNK}`));
    await client.closed();
    expect(client.received).toEqual([{ type: 'connack', sessionPresent: false, reasonCode: 0 }]);
  });

  it('[MQTT-3.14.4-3] [MQTT-3.1.2-10] DISCONNECT + junk in one chunk: the will is not published', async () => {
    const broker = memoryBroker();
    const { client: watcher } = await MemoryClient.connect(broker);
    await watcher.subscribe('will/t');
    const { client } = await MemoryClient.connect(broker, { will: { topic: 'will/t', payload: text('gone'), qos: 0, retain: false } });
    client.rawWrite(hex(`e0 00 ${JUNK}`));
    await client.closed();
    // A marker sent after the close arrives first: no will was routed before it.
    const { client: marker } = await MemoryClient.connect(broker);
    marker.send({ type: 'publish', topic: 'will/t', payload: text('marker'), qos: 0, retain: false, dup: false });
    expect(str((await watcher.next('publish')).payload)).toBe('marker');
  });

  it('[MQTT-3.1.2-10] PUBLISH held for an async hook, DISCONNECT, junk in one chunk: routed, and no will', async () => {
    const broker = memoryBroker({ hooks: { authorizePublish: () => Promise.resolve(true) } });
    const { client: watcher } = await MemoryClient.connect(broker);
    await watcher.subscribe('#');
    const { client } = await MemoryClient.connect(broker, { will: { topic: 'will/t', payload: text('gone'), qos: 0, retain: false } });
    // PUBLISH QoS 0 "t" → "hi", DISCONNECT, junk.
    client.rawWrite(hex(`30 05 00 01 74 68 69 e0 00 ${JUNK}`));
    await client.closed();
    const { client: marker } = await MemoryClient.connect(broker);
    marker.send({ type: 'publish', topic: 'marker', payload: text('marker'), qos: 0, retain: false, dup: false });
    expect((await watcher.next('publish')).topic).toBe('t');
    expect((await watcher.next('publish')).topic).toBe('marker');
  });

  it('5.0: PUBLISH QoS 1 + junk in one chunk: the message is routed and acknowledged, then DISCONNECT 0x81', async () => {
    const broker = memoryBroker();
    const { client: subscriber } = await MemoryClient.connect(broker);
    await subscriber.subscribe('t');
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5 });
    // PUBLISH QoS 1, topic "t", packet id 7, no properties, payload "hi".
    client.rawWrite(hex(`32 08 00 01 74 00 07 00 68 69 ${JUNK}`));
    await client.closed();
    expect(client.received.map((p) => [p.type, 'reasonCode' in p ? p.reasonCode : undefined])).toEqual([
      ['puback', 0],
      ['disconnect', 0x81],
    ]);
    expect(str((await subscriber.next('publish')).payload)).toBe('hi');
  });

  it('5.0: a rule break before a malformed packet in one chunk is answered with its own code (second CONNECT: 0x82)', async () => {
    const { client } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5, clientId: 'first' });
    client.rawWrite(hex(`${CONNECT_5} ${JUNK}`));
    await client.closed();
    expect(client.received.map((p) => [p.type, 'reasonCode' in p ? p.reasonCode : undefined])).toEqual([['disconnect', 0x82]]);
  });
});
