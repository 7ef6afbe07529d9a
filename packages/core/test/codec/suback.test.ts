import { describe, expect, it } from 'vitest';
import { decode, encode, type SubackPacket, type UnsubackPacket } from '../../src/codec/index.ts';
import { MalformedPacketError } from '../../src/errors.ts';
import { hex, vector } from './helpers.ts';

describe('SUBACK', () => {
  it('[MQTT-3.9.3-1] 3.1.1: one return code per filter', () => {
    const packet: SubackPacket = { type: 'suback', packetId: 10, reasonCodes: [1, 0x80] };
    expect(vector(packet, 4, '90 04 00 0a 01 80')).toEqual(packet);
  });

  it('[MQTT-3.9.3-2] 3.1.1: return codes other than 0, 1, 2, 0x80 are malformed and not encoded', () => {
    expect(() => decode(hex('90 03 00 0a 03'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ type: 'suback', packetId: 10, reasonCodes: [0, 0x87] }, 4)).toThrow(expect.objectContaining({ field: 'reasonCodes[1]' }));
  });

  it('[MQTT-3.9.3-1] a SUBACK without return codes is malformed (its SUBSCRIBE had at least one filter) at both levels', () => {
    expect(() => decode(hex('90 02 00 0a'), 4)).toThrow(MalformedPacketError);
    expect(() => decode(hex('90 03 00 0a 00'), 5)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.9.3-1] 5.0: properties then reason codes', () => {
    const packet: SubackPacket = { type: 'suback', packetId: 10, reasonCodes: [1, 0x8f], properties: { reasonString: 'x' } };
    expect(vector(packet, 5, '90 09 00 0a 04 1f 00 01 78 01 8f')).toEqual(packet);
  });
});

describe('UNSUBACK', () => {
  it('[MQTT-3.11.2-1] 3.1.1: only the packet identifier', () => {
    const packet: UnsubackPacket = { type: 'unsuback', packetId: 10, reasonCodes: [] };
    expect(vector(packet, 4, 'b0 02 00 0a')).toEqual(packet);
    expect(() => decode(hex('b0 03 00 0a 00'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ type: 'unsuback', packetId: 10, reasonCodes: [0] }, 4)).toThrow(expect.objectContaining({ field: 'reasonCodes' }));
  });

  it('[MQTT-3.11.3-1] 5.0: one reason code per filter', () => {
    const packet: UnsubackPacket = { type: 'unsuback', packetId: 10, reasonCodes: [0, 0x11] };
    expect(vector(packet, 5, 'b0 05 00 0a 00 00 11')).toEqual(packet);
  });

  it('[MQTT-3.11.3-1] 5.0: an UNSUBACK without reason codes is malformed', () => {
    expect(() => decode(hex('b0 03 00 0a 00'), 5)).toThrow(MalformedPacketError);
  });
});
