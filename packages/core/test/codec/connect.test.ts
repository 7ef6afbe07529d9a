import { describe, expect, it } from 'vitest';
import { decode, encode, PacketDecoder, type ConnectPacket } from '../../src/codec/index.ts';
import { InvalidArgumentError, MalformedPacketError, ProtocolError } from '../../src/errors.ts';
import { catchError, hex, utf8, vector } from './helpers.ts';

const minimal = (v: 4 | 5): ConnectPacket => ({ type: 'connect', protocolVersion: v, clientId: 'c', clean: true, keepalive: 60 });

describe('CONNECT', () => {
  it('[MQTT-3.1.2-1] 3.1.1: protocol name MQTT, level 4, clean session, keepalive, client id', () => {
    expect(vector(minimal(4), 4, '10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 63')).toEqual(minimal(4));
  });

  it('[MQTT-3.1.2-2] 5.0: level 5 and an empty property length', () => {
    expect(vector(minimal(5), 5, '10 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 63')).toEqual(minimal(5));
  });

  it('[MQTT-3.1.3-1] 5.0: properties, will with properties, user name and password in payload order', () => {
    const packet: ConnectPacket = {
      type: 'connect', protocolVersion: 5, clientId: 'c', clean: false, keepalive: 10,
      properties: { sessionExpiryInterval: 300 },
      will: { topic: 't', payload: utf8('x'), qos: 1, retain: true, properties: { willDelayInterval: 5 } },
      username: 'u', password: utf8('p'),
    };
    const bytes = '10 25 00 04 4d 51 54 54 05 ec 00 0a 05 11 00 00 01 2c 00 01 63 05 18 00 00 00 05 00 01 74 00 01 78 00 01 75 00 01 70';
    expect(vector(packet, 5, bytes)).toEqual(packet);
  });

  it('[MQTT-3.1.2-3] the reserved connect flag must be 0', () => {
    expect(() => decode(hex('10 0d 00 04 4d 51 54 54 04 03 00 3c 00 01 63'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.1.2-1] a protocol name other than MQTT is refused with 0x84', () => {
    const error = catchError(() => decode(hex('10 0d 00 04 4d 51 54 58 04 02 00 3c 00 01 63'), 4));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.reasonCode).toBe(0x84);
  });

  it('[MQTT-3.1.2-2] an unsupported protocol level (3) is refused with 0x84', () => {
    const error = catchError(() => decode(hex('10 0d 00 04 4d 51 54 54 03 02 00 3c 00 01 63'), 4));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.reasonCode).toBe(0x84);
  });

  it('[MQTT-3.1.2-13] will QoS and retain must be 0 without a will', () => {
    expect(() => decode(hex('10 0d 00 04 4d 51 54 54 04 0a 00 3c 00 01 63'), 4)).toThrow(MalformedPacketError);
    expect(() => decode(hex('10 0d 00 04 4d 51 54 54 04 22 00 3c 00 01 63'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.1.2-14] will QoS 3 is malformed', () => {
    expect(() => decode(hex('10 13 00 04 4d 51 54 54 04 1e 00 3c 00 01 63 00 01 74 00 00'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.1.2-22] 3.1.1: a password without a user name is malformed, and refused on encode', () => {
    expect(() => decode(hex('10 10 00 04 4d 51 54 54 04 42 00 3c 00 01 63 00 01 70'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ ...minimal(4), password: utf8('p') }, 4)).toThrow(expect.objectContaining({ field: 'password' }));
    // 5.0 allows it.
    const v5 = { ...minimal(5), password: utf8('p') };
    expect(decode(encode(v5, 5), 5)).toEqual(v5);
  });

  it('[MQTT-3.1.3-8] a will topic must be a valid topic name', () => {
    const packet: ConnectPacket = { ...minimal(4), will: { topic: 'a/#', payload: utf8('x'), qos: 0, retain: false } };
    expect(() => encode(packet, 4)).toThrow(expect.objectContaining({ field: 'will.topic' }));
    expect(() => decode(hex('10 15 00 04 4d 51 54 54 04 06 00 3c 00 01 63 00 03 61 2f 23 00 00'), 4)).toThrow(MalformedPacketError);
  });

  it('encode refuses a protocolVersion that differs from the level, and 5.0 properties at 3.1.1', () => {
    expect(() => encode(minimal(5), 4)).toThrow(expect.objectContaining({ field: 'protocolVersion' }));
    expect(() => encode({ ...minimal(4), properties: { sessionExpiryInterval: 1 } }, 4)).toThrow(expect.objectContaining({ field: 'properties' }));
    expect(() => encode({ ...minimal(4), keepalive: 70_000 }, 4)).toThrow(InvalidArgumentError);
  });

  it('[MQTT-3.1.0-1] a decoder without a level learns it from CONNECT and refuses anything before it', () => {
    const decoder = new PacketDecoder();
    expect(decoder.push(encode(minimal(5), 5))).toEqual([minimal(5)]);
    expect(decoder.version).toBe(5);
    const publish = { type: 'publish', topic: 'a', payload: utf8('x'), qos: 0, retain: false, dup: false, properties: { contentType: 't' } } as const;
    expect(decoder.push(encode(publish, 5))).toEqual([publish]);
    expect(() => new PacketDecoder().push(hex('c0 00'))).toThrow(ProtocolError);
  });
});
