import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { decode, encode, type PublishPacket } from '../../src/codec/index.ts';
import { InvalidArgumentError, MalformedPacketError, ProtocolError } from '../../src/errors.ts';
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

  it('accepts a payload made in another realm (iframe, jsdom): checked by tag, not instanceof', () => {
    const foreign = runInNewContext('new Uint8Array([104, 105])') as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    expect(decode(encode({ ...base, payload: foreign }, 4), 4)).toEqual(base);
    expect(() => encode({ ...base, payload: runInNewContext('new Uint16Array(1)') as Uint8Array }, 4)).toThrow(
      expect.objectContaining({ field: 'payload' }),
    );
  });

  it('encode names the field at fault: QoS 3, a missing packet identifier, DUP at QoS 0, a payload that is not bytes', () => {
    expect(() => encode({ ...base, qos: 3 as 0 }, 4)).toThrow(expect.objectContaining({ field: 'qos' }));
    expect(() => encode({ ...base, qos: 1 }, 4)).toThrow(expect.objectContaining({ field: 'packetId' }));
    expect(() => encode({ ...base, dup: true }, 4)).toThrow(expect.objectContaining({ field: 'dup' }));
    expect(() => encode({ ...base, payload: 'hi' as never }, 4)).toThrow(expect.objectContaining({ field: 'payload' }));
    expect(() => encode({ ...base, topic: '' }, 4)).toThrow(expect.objectContaining({ field: 'topic' }));
    expect(() => encode(base, 3 as 4)).toThrow(expect.objectContaining({ field: 'version' }));
  });

  it('[MQTT-3.3.1-2] DUP on a QoS 0 PUBLISH is malformed', () => {
    expect(() => decode(hex('38 07 00 03 61 2f 62 68 69'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.3.2-8] 5.0: an empty topic with a topic alias; without one it is a protocol error (0x82), as is alias 0', () => {
    const packet: PublishPacket = { ...base, topic: '', properties: { topicAlias: 5 } };
    expect(vector(packet, 5, '30 08 00 00 03 23 00 05 68 69')).toEqual(packet);
    expect(() => decode(hex('30 05 00 00 00 68 69'), 5)).toThrow(expect.objectContaining({ name: 'ProtocolError', reasonCode: 0x82 }));
    expect(() => decode(hex('30 04 00 00 68 69'), 4)).toThrow(ProtocolError); // [MQTT-4.7.3-1]
    expect(() => decode(hex('30 08 00 00 03 23 00 00 68 69'), 5)).toThrow(ProtocolError);
  });

  it('[MQTT-3.3.2-8] 5.0: topic alias 0 is refused with reason 0x94 (Topic Alias invalid)', () => {
    expect(() => decode(hex('30 08 00 00 03 23 00 00 68 69'), 5)).toThrow(expect.objectContaining({ reasonCode: 0x94 }));
  });

  it('[MQTT-2.3.1-1] packet identifier 0 is refused', () => {
    expect(() => decode(hex('32 07 00 03 61 2f 62 00 00'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ ...base, qos: 1, packetId: 0 }, 4)).toThrow(/packetId/);
  });

  it('a payload over 64 bytes is a view into the input when the packet lies in one chunk', () => {
    const bytes = encode({ ...base, payload: new Uint8Array(65).fill(1) }, 4);
    const packet = decode(bytes, 4) as PublishPacket;
    expect(packet.payload.buffer).toBe(bytes.buffer);
    expect(packet.payload.byteOffset).toBe(bytes.byteOffset + bytes.length - 65);
  });

  it('a payload of at most 64 bytes is copied, so it does not keep the chunk alive', () => {
    const bytes = encode({ ...base, payload: new Uint8Array(64).fill(1) }, 4);
    const packet = decode(bytes, 4) as PublishPacket;
    expect(packet.payload.buffer).not.toBe(bytes.buffer);
    expect(packet.payload).toEqual(new Uint8Array(64).fill(1));
  });
});
