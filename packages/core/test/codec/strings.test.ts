import { describe, expect, it } from 'vitest';
import { decode, encode, type ConnectPacket, type PublishPacket } from '../../src/codec/index.ts';
import { InvalidArgumentError, MalformedPacketError } from '../../src/errors.ts';
import { hex, utf8 } from './helpers.ts';

const publish = (topic: string): PublishPacket => ({ type: 'publish', topic, payload: new Uint8Array(0), qos: 0, retain: false, dup: false });
const connect = (clientId: string): ConnectPacket => ({ type: 'connect', protocolVersion: 4, clientId, clean: true, keepalive: 0 });

describe('UTF-8 strings', () => {
  it('[MQTT-1.5.4-1] ill-formed UTF-8 is malformed', () => {
    expect(() => decode(hex('30 04 00 02 c3 28'), 4)).toThrow(MalformedPacketError);
    expect(() => decode(hex('30 03 00 01 ff'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-1.5.4-1] encoded surrogates (U+D800) are malformed; unpaired surrogates are not encoded', () => {
    expect(() => decode(hex('30 05 00 03 ed a0 80'), 4)).toThrow(MalformedPacketError);
    expect(() => encode(connect('a\ud800'), 4)).toThrow(expect.objectContaining({ field: 'clientId' }));
    expect(() => encode(publish('a\udc00'), 4)).toThrow(expect.objectContaining({ field: 'topic' }));
  });

  it('[MQTT-1.5.4-2] U+0000 is malformed in any string and not encoded', () => {
    expect(() => decode(hex('30 05 00 03 61 00 62'), 4)).toThrow(MalformedPacketError);
    expect(() => decode(hex('10 0f 00 04 4d 51 54 54 04 02 00 3c 00 03 61 00 62'), 4)).toThrow(MalformedPacketError);
    const long = `${'é'.repeat(30)}\0`; // non-ASCII path
    expect(() => decode(encodeRaw(long), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ ...connect('c'), username: 'a\0' }, 4)).toThrow(expect.objectContaining({ field: 'username' }));
  });

  it('[MQTT-1.5.4-3] a leading BOM (U+FEFF) is kept, not skipped', () => {
    expect((decode(hex('30 06 00 04 ef bb bf 61'), 4) as PublishPacket).topic).toBe('\ufeffa');
  });

  it('non-ASCII, astral and long strings round trip on every path', () => {
    for (const topic of ['é/水/😀', 'abcé', 'a'.repeat(47), 'a'.repeat(48), `${'a'.repeat(60)}é`, 'x'.repeat(5000)]) {
      expect((decode(encode(publish(topic), 4), 4) as PublishPacket).topic).toBe(topic);
    }
  });

  it('[MQTT-1.5.4-1] strings over 65,535 UTF-8 bytes are not encoded', () => {
    expect(() => encode(publish('a'.repeat(65_536)), 4)).toThrow(expect.objectContaining({ field: 'topic' }));
    expect(() => encode(connect('é'.repeat(32_768)), 4)).toThrow(InvalidArgumentError);
    expect(() => encode(connect('a'.repeat(65_535)), 4)).not.toThrow();
  });
});

describe('variable byte integers', () => {
  it('[MQTT-1.5.5-1] a remaining length of more than 4 bytes is malformed', () => {
    expect(() => decode(hex('30 80 80 80 80 01'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-1.5.5-1] a remaining length not minimally encoded is malformed', () => {
    expect(() => decode(hex('c0 80 00'), 4)).toThrow(MalformedPacketError);
  });

  it('a property length of more than 4 bytes is malformed', () => {
    expect(() => decode(hex('30 09 00 01 61 ff ff ff ff 7f 00'), 5)).toThrow(MalformedPacketError);
  });

  it('remaining lengths of 1 to 3 bytes round trip', () => {
    for (const size of [0, 121, 122, 200, 16_380, 20_000, 2_097_200]) {
      const packet = { ...publish('a'), payload: new Uint8Array(size) };
      expect((decode(encode(packet, 4), 4) as PublishPacket).payload).toHaveLength(size);
    }
  });
});

/** A 3.1.1 PUBLISH whose topic is `topic` as raw UTF-8 (bypassing encode's checks). */
function encodeRaw(topic: string): Uint8Array {
  const t = utf8(topic);
  return new Uint8Array([0x30, 2 + t.length, t.length >> 8, t.length & 255, ...t]);
}
