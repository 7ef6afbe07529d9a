import { describe, expect, it } from 'vitest';
import { ReasonCode, reasonCodeName } from '../../src/codec/index.ts';

describe('reason codes', () => {
  it('names map to the 5.0 numbers (§2.4)', () => {
    expect(ReasonCode.Success).toBe(0x00);
    expect(ReasonCode.GrantedQoS2).toBe(0x02);
    expect(ReasonCode.MalformedPacket).toBe(0x81);
    expect(ReasonCode.ProtocolError).toBe(0x82);
    expect(ReasonCode.PacketTooLarge).toBe(0x95);
    expect(ReasonCode.WildcardSubscriptionsNotSupported).toBe(0xa2);
  });

  it('reasonCodeName gives the first name for a number, or hex when unknown', () => {
    expect(reasonCodeName(0x87)).toBe('NotAuthorized');
    expect(reasonCodeName(0)).toBe('Success');
    expect(reasonCodeName(1)).toBe('GrantedQoS1');
    expect(reasonCodeName(0xff)).toBe('0xff');
    expect(reasonCodeName(5)).toBe('0x05');
  });
});
