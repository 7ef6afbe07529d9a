import { describe, expect, it } from 'vitest';
import { decode, encode, type ConnackPacket } from '../../src/codec/index.ts';
import { MalformedPacketError } from '../../src/errors.ts';
import { hex, vector } from './helpers.ts';

describe('CONNACK', () => {
  it('[MQTT-3.2.2-2] 3.1.1: session present flag and return code', () => {
    const packet: ConnackPacket = { type: 'connack', sessionPresent: true, reasonCode: 0 };
    expect(vector(packet, 4, '20 02 01 00')).toEqual(packet);
    const refused: ConnackPacket = { type: 'connack', sessionPresent: false, reasonCode: 5 };
    expect(vector(refused, 4, '20 02 00 05')).toEqual(refused);
  });

  it('[MQTT-3.2.2-1] reserved acknowledge flags are malformed', () => {
    expect(() => decode(hex('20 02 02 00'), 4)).toThrow(MalformedPacketError);
    expect(() => decode(hex('20 03 80 00 00'), 5)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.2.2-4] 3.1.1 return codes above 5 are malformed and not encoded', () => {
    expect(() => decode(hex('20 02 00 06'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ type: 'connack', sessionPresent: false, reasonCode: 0x80 }, 4)).toThrow(expect.objectContaining({ field: 'reasonCode' }));
  });

  it('[MQTT-3.2.2-3] 5.0: reason code and properties in the order given', () => {
    const packet: ConnackPacket = {
      type: 'connack', sessionPresent: false, reasonCode: 0,
      properties: { receiveMaximum: 10, maximumQoS: 1, assignedClientIdentifier: 'id' },
    };
    expect(vector(packet, 5, '20 0d 00 00 0a 21 00 0a 24 01 12 00 02 69 64')).toEqual(packet);
    expect(vector({ type: 'connack', sessionPresent: false, reasonCode: 0x87 }, 5, '20 03 00 87 00')).toEqual({ type: 'connack', sessionPresent: false, reasonCode: 0x87 });
  });

  it('3.1.1 CONNACK with trailing bytes is malformed', () => {
    expect(() => decode(hex('20 03 00 00 00'), 4)).toThrow(MalformedPacketError);
  });
});
