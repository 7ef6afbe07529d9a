import { describe, expect, it } from 'vitest';
import { decode, encode, type PublishPacket } from '../../src/codec/index.ts';
import { InvalidArgumentError, MalformedPacketError } from '../../src/errors.ts';
import { hex, utf8, vector } from './helpers.ts';

const base: PublishPacket = { type: 'publish', topic: 'a/b', payload: utf8('hi'), qos: 0, retain: false, dup: false };

describe('PUBLISH', () => {
  it('[MQTT-3.3.1-1] QoS 0 at 3.1.1: no packet identifier, payload follows the topic', () => {
    expect(vector(base, 4, '30 07 00 03 61 2f 62 68 69')).toEqual(base);
  });

  it('[MQTT-3.3.2-1] QoS 1 retained at 5.0 with a packet identifier and properties', () => {
    const packet: PublishPacket = { ...base, qos: 1, retain: true, packetId: 10, properties: { contentType: 't', topicAlias: 2 } };
    expect(vector(packet, 5, '33 11 00 03 61 2f 62 00 0a 07 03 00 01 74 23 00 02 68 69')).toEqual(packet);
  });

  it('[MQTT-3.3.1-4] QoS 3 is malformed', () => {
    expect(() => decode(hex('36 07 00 03 61 2f 62 00 01'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.3.2-2] a topic name with a wildcard is malformed on decode and refused on encode', () => {
    expect(() => decode(hex('30 05 00 03 61 2f 2b'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ ...base, topic: 'a/#' }, 4)).toThrow(InvalidArgumentError);
  });

  it('[MQTT-2.3.1-1] packet identifier 0 is refused', () => {
    expect(() => decode(hex('32 07 00 03 61 2f 62 00 00'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ ...base, qos: 1, packetId: 0 }, 4)).toThrow(/packetId/);
  });

  it('a payload over 64 bytes is a view into the input when the packet lies in one chunk', () => {
    const bytes = encode({ ...base, payload: new Uint8Array(65).fill(1) }, 4);
    const packet = decode(bytes, 4) as PublishPacket;
    expect(packet.payload.buffer).toBe(bytes.buffer);
    expect(packet.payload.byteOffset).toBe(bytes.length - 65);
  });

  it('a payload of at most 64 bytes is copied, so it does not keep the chunk alive', () => {
    const bytes = encode({ ...base, payload: new Uint8Array(64).fill(1) }, 4);
    const packet = decode(bytes, 4) as PublishPacket;
    expect(packet.payload.buffer).not.toBe(bytes.buffer);
    expect(packet.payload).toEqual(new Uint8Array(64).fill(1));
  });
});
