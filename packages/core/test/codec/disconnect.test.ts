import { describe, expect, it } from 'vitest';
import { decode, encode, type AuthPacket, type DisconnectPacket } from '../../src/codec/index.ts';
import { MalformedPacketError } from '../../src/errors.ts';
import { hex, vector } from './helpers.ts';

describe('PINGREQ, PINGRESP', () => {
  it('[MQTT-3.12.4-1] two bytes, nothing else', () => {
    expect(vector({ type: 'pingreq' }, 4, 'c0 00')).toEqual({ type: 'pingreq' });
    expect(vector({ type: 'pingresp' }, 5, 'd0 00')).toEqual({ type: 'pingresp' });
    expect(() => decode(hex('c0 01 00'), 4)).toThrow(MalformedPacketError);
    expect(() => decode(hex('c1 00'), 4)).toThrow(MalformedPacketError);
  });
});

describe('DISCONNECT', () => {
  it('[MQTT-3.14.1-1] 3.1.1: empty, with flags 0', () => {
    expect(vector({ type: 'disconnect' }, 4, 'e0 00')).toEqual({ type: 'disconnect' });
    expect(() => decode(hex('e1 00'), 4)).toThrow(MalformedPacketError);
    expect(() => decode(hex('e0 01 00'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.14.2.1] 5.0: an empty DISCONNECT means reason 0; a code alone; a code and properties', () => {
    expect(vector({ type: 'disconnect', reasonCode: 0 }, 5, 'e0 00')).toEqual({ type: 'disconnect', reasonCode: 0 });
    expect(vector({ type: 'disconnect', reasonCode: 4 }, 5, 'e0 01 04')).toEqual({ type: 'disconnect', reasonCode: 4 });
    const packet: DisconnectPacket = { type: 'disconnect', reasonCode: 0x8b, properties: { reasonString: 'bye' } };
    expect(vector(packet, 5, 'e0 08 8b 06 1f 00 03 62 79 65')).toEqual(packet);
  });
});

describe('AUTH', () => {
  it('[MQTT-3.15.2.1] 5.0: reason code and authentication method', () => {
    const packet: AuthPacket = { type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'm' } };
    expect(vector(packet, 5, 'f0 06 18 04 15 00 01 6d')).toEqual(packet);
    expect(decode(hex('f0 00'), 5)).toEqual({ type: 'auth', reasonCode: 0 });
  });

  it('[MQTT-2.1.3-1] AUTH is reserved at 3.1.1, as is packet type 0', () => {
    expect(() => decode(hex('f0 00'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ type: 'auth', reasonCode: 0 }, 4)).toThrow(expect.objectContaining({ field: 'type' }));
    expect(() => decode(hex('00 00'), 5)).toThrow(MalformedPacketError);
  });
});
