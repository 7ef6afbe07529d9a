import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, type ProtocolVersion } from '../../src/codec/index.ts';
import { packetsByType } from './arbitraries.ts';

describe.each([4, 5] as ProtocolVersion[])('round trip at level %i', (v) => {
  for (const [name, arbitrary] of Object.entries(packetsByType(v))) {
    it(`${name}: decode(encode(p)) equals p`, () => {
      fc.assert(
        fc.property(arbitrary, (packet) => {
          expect(decode(encode(packet, v), v)).toEqual(packet);
        }),
        { numRuns: 300 },
      );
    });
  }
});
