import { describe, expect, it } from 'vitest';
import { decode, encode, type PubackPacket, type PubrelPacket } from '../../src/codec/index.ts';
import { MalformedPacketError } from '../../src/errors.ts';
import { hex, vector } from './helpers.ts';

describe('PUBACK, PUBREC, PUBREL, PUBCOMP', () => {
  it('[MQTT-3.4.2-1] 3.1.1: a packet identifier and nothing else', () => {
    expect(vector({ type: 'puback', packetId: 7 }, 4, '40 02 00 07')).toEqual({ type: 'puback', packetId: 7 });
    expect(vector({ type: 'pubrec', packetId: 7 }, 4, '50 02 00 07')).toEqual({ type: 'pubrec', packetId: 7 });
    expect(vector({ type: 'pubrel', packetId: 7 }, 4, '62 02 00 07')).toEqual({ type: 'pubrel', packetId: 7 });
    expect(vector({ type: 'pubcomp', packetId: 0xffff }, 4, '70 02 ff ff')).toEqual({ type: 'pubcomp', packetId: 0xffff });
  });

  it('[MQTT-3.6.1-1] PUBREL fixed header flags must be 0010', () => {
    expect(() => decode(hex('60 02 00 07'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-2.2.2-2] PUBACK with flags set is malformed', () => {
    expect(() => decode(hex('42 02 00 07'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-2.3.1-1] packet identifier 0 is malformed and not encoded', () => {
    expect(() => decode(hex('40 02 00 00'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ type: 'puback', packetId: 0 }, 4)).toThrow(expect.objectContaining({ field: 'packetId' }));
  });

  it('[MQTT-3.4.2.1] 5.0: reason code 0 without properties is left out, and read back as 0', () => {
    const packet: PubackPacket = { type: 'puback', packetId: 7, reasonCode: 0 };
    expect(vector(packet, 5, '40 02 00 07')).toEqual(packet);
  });

  it('[MQTT-3.4.2.1] 5.0: a reason code without properties leaves out the property length', () => {
    const packet: PubackPacket = { type: 'puback', packetId: 7, reasonCode: 0x10 };
    expect(vector(packet, 5, '40 03 00 07 10')).toEqual(packet);
  });

  it('[MQTT-3.4.2.2] 5.0: reason code and reason string', () => {
    const packet: PubrelPacket = { type: 'pubrel', packetId: 7, reasonCode: 0x92, properties: { reasonString: 'no' } };
    expect(vector(packet, 5, '62 09 00 07 92 05 1f 00 02 6e 6f')).toEqual(packet);
    // A property length of 0 after the code is accepted too.
    expect(decode(hex('40 04 00 07 10 00'), 5)).toEqual({ type: 'puback', packetId: 7, reasonCode: 0x10 });
  });

  it('3.1.1: trailing bytes are malformed, and 5.0 reason codes are not encoded', () => {
    expect(() => decode(hex('40 03 00 07 00'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ type: 'puback', packetId: 7, reasonCode: 0x10 }, 4)).toThrow(expect.objectContaining({ field: 'reasonCode' }));
  });
});
