import { describe, expect, it } from 'vitest';
import { decode, encode, PROPERTIES, type PublishPacket } from '../../src/codec/index.ts';
import { MalformedPacketError, ProtocolError } from '../../src/errors.ts';
import { hex, utf8 } from './helpers.ts';

const publish = (properties: PublishPacket['properties']): PublishPacket => ({ type: 'publish', topic: 'a', payload: utf8('x'), qos: 0, retain: false, dup: false, ...(properties ? { properties } : {}) });

describe('5.0 properties', () => {
  it('the table has every 5.0 property once, by id and by name', () => {
    expect(PROPERTIES).toHaveLength(27);
    expect(new Set(PROPERTIES.map((p) => p.id)).size).toBe(27);
    expect(new Set(PROPERTIES.map((p) => p.name)).size).toBe(27);
    const topicAlias = PROPERTIES.find((p) => p.name === 'topicAlias')!;
    expect(topicAlias).toMatchObject({ id: 0x23, type: 'uint16' });
    expect(topicAlias.allowedIn).toBe(1 << 3); // PUBLISH only
  });

  it('[MQTT-3.3.2-?] user properties repeat and keep their order', () => {
    const packet = publish({ userProperties: [['a', '1'], ['b', '2'], ['a', '3'], ['', '']] });
    expect(decode(encode(packet, 5), 5)).toEqual(packet);
  });

  it('[MQTT-3.3.4-3] PUBLISH carries one subscription identifier per matching subscription', () => {
    // props: 0b 01, 0b 02
    expect(decode(hex('30 08 00 01 61 04 0b 01 0b 02'), 5)).toEqual({ ...publish(undefined), payload: new Uint8Array(0), properties: { subscriptionIdentifier: [1, 2] } });
  });

  it('[MQTT-2.2.2-2] a once-only property appearing twice is a protocol error', () => {
    expect(() => decode(hex('30 08 00 01 61 04 01 01 01 00'), 5)).toThrow(ProtocolError);
  });

  it('[MQTT-2.2.2-2] a property the packet may not carry, or an unknown one, is malformed', () => {
    expect(() => decode(hex('30 09 00 01 61 05 11 00 00 00 01'), 5)).toThrow(MalformedPacketError); // session expiry in PUBLISH
    expect(() => decode(hex('30 06 00 01 61 02 7f 00'), 5)).toThrow(MalformedPacketError);
    // Will Delay Interval belongs to the will, not to CONNECT itself.
    expect(() => decode(hex('10 12 00 04 4d 51 54 54 05 02 00 3c 05 18 00 00 00 01 00 00'), 5)).toThrow(MalformedPacketError);
  });

  it('flag properties other than 0 or 1, and zero where zero is forbidden, are protocol errors', () => {
    expect(() => decode(hex('30 06 00 01 61 02 01 02'), 5)).toThrow(ProtocolError); // payload format indicator 2
    expect(() => decode(hex('30 07 00 01 61 03 23 00 00'), 5)).toThrow(ProtocolError); // topic alias 0
    expect(() => decode(hex('20 06 00 00 03 21 00 00'), 5)).toThrow(ProtocolError); // receive maximum 0
    expect(() => decode(hex('20 08 00 00 05 27 00 00 00 00'), 5)).toThrow(ProtocolError); // maximum packet size 0
  });

  it('a property length beyond the packet is malformed', () => {
    expect(() => decode(hex('30 06 00 01 61 09 01 00'), 5)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.3.2-14] a response topic with a wildcard is refused', () => {
    expect(() => decode(hex('30 09 00 01 61 05 08 00 02 61 23'), 5)).toThrow(ProtocolError);
    expect(() => encode(publish({ responseTopic: 'a/#' }), 5)).toThrow(expect.objectContaining({ field: 'properties.responseTopic' }));
  });

  it('[MQTT-4.7.3-1] an empty response topic is refused: a topic name has at least one character', () => {
    expect(() => decode(hex('30 07 00 01 61 03 08 00 00'), 5)).toThrow(expect.objectContaining({ name: 'ProtocolError', reasonCode: 0x82 }));
    expect(() => encode(publish({ responseTopic: '' }), 5)).toThrow(expect.objectContaining({ field: 'properties.responseTopic' }));
    expect(decode(hex('30 08 00 01 61 04 08 00 01 61'), 5)).toMatchObject({ properties: { responseTopic: 'a' } });
  });

  it('encode names the property at fault', () => {
    expect(() => encode(publish({ sessionExpiryInterval: 1 }), 5)).toThrow(expect.objectContaining({ field: 'properties.sessionExpiryInterval' }));
    expect(() => encode(publish({ topicAlias: 0 }), 5)).toThrow(expect.objectContaining({ field: 'properties.topicAlias' }));
    expect(() => encode(publish({ messageExpiryInterval: -1 }), 5)).toThrow(expect.objectContaining({ field: 'properties.messageExpiryInterval' }));
    expect(() => encode(publish({ contentType: 'a\0' }), 5)).toThrow(expect.objectContaining({ field: 'properties.contentType' }));
    expect(() => encode(publish({ userProperties: [['a', '\ud800']] }), 5)).toThrow(expect.objectContaining({ field: 'properties.userProperties[0][1]' }));
    expect(() => encode(publish({ foo: 1 } as never), 5)).toThrow(expect.objectContaining({ field: 'properties.foo' }));
    expect(() => encode(publish({ contentType: 'x' }), 4)).toThrow(expect.objectContaining({ field: 'properties' }));
  });

  it('a property length needing two bytes is written and read', () => {
    const packet = publish({ contentType: 'c'.repeat(200) });
    const bytes = encode(packet, 5);
    expect(Array.from(bytes.subarray(6, 8))).toEqual([0xcb, 0x01]); // after header (3) and topic (3): 203 = 0x4b | 0x80, 0x01
    expect(decode(bytes, 5)).toEqual(packet);
  });
});
