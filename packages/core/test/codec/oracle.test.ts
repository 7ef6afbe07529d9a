/** Byte-level cross-checks with mqtt-packet 9 as a dev-only oracle, both directions, both protocol levels. */
import fc from 'fast-check';
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { decode, encode, type Packet, type ProtocolVersion } from '../../src/codec/index.ts';
import { packetsByType } from './arbitraries.ts';
import { comparable, fromTheirs, toTheirs } from './mqtt-packet-oracle.ts';

/** Parses bytes with mqtt-packet; throws on its error or when it does not yield exactly one packet. */
function theirParse(bytes: Uint8Array, v: ProtocolVersion): Record<string, unknown> {
  const parser = mqttPacket.parser({ protocolVersion: v });
  const packets: Record<string, unknown>[] = [];
  let error: Error | undefined;
  parser.on('packet', (p) => packets.push(p as unknown as Record<string, unknown>));
  parser.on('error', (e: Error) => (error = e));
  parser.parse(Buffer.from(bytes));
  if (error) throw error;
  if (packets.length !== 1) throw new Error(`mqtt-packet parsed ${packets.length} packets`);
  return packets[0]!;
}

describe.each([4, 5] as ProtocolVersion[])('mqtt-packet oracle at level %i', (v) => {
  // mqtt-packet's parser learns the level from CONNECT; it needs one first for non-CONNECT packets at 5.0.
  const theirDecode = (bytes: Uint8Array, packet: Packet): Packet => {
    if (packet.type === 'connect') return fromTheirs(theirParse(bytes, v), v);
    const parser = mqttPacket.parser({ protocolVersion: v });
    const got: Record<string, unknown>[] = [];
    let error: Error | undefined;
    parser.on('packet', (p) => got.push(p as unknown as Record<string, unknown>));
    parser.on('error', (e: Error) => (error = e));
    parser.parse(Buffer.from(bytes));
    if (error) throw error;
    expect(got).toHaveLength(1);
    return fromTheirs(got[0]!, v);
  };

  for (const [name, arbitrary] of Object.entries(packetsByType(v))) {
    it(`${name}: mqtt-packet parses what we encode to the same packet`, () => {
      fc.assert(
        fc.property(arbitrary, (packet) => {
          // mqtt-packet cannot parse the empty AUTH that [MQTT-3.15.2-1] allows (code 0, no properties).
          fc.pre(!(packet.type === 'auth' && !packet.reasonCode && !packet.properties));
          expect(theirDecode(encode(packet, v), packet)).toEqual(comparable(packet));
        }),
        { numRuns: 150 },
      );
    });

    it(`${name}: we decode what mqtt-packet generates to the same packet`, () => {
      fc.assert(
        fc.property(arbitrary, (packet) => {
          // mqtt-packet refuses to generate an empty client id without clean session (a server-side rule), and a
          // password without a user name even at 5.0, which allows it.
          fc.pre(!(packet.type === 'connect' && ((!packet.clientId && !packet.clean) || (packet.password && packet.username === undefined))));
          const theirs = mqttPacket.generate(toTheirs(packet, v), { protocolVersion: v });
          expect(decode(new Uint8Array(theirs), v)).toEqual(comparable(packet));
          // Byte for byte, once user properties are grouped as mqtt-packet groups them; except where 5.0 lets a
          // sender leave out a trailing reason code or property length, which mqtt-packet always writes.
          if (v === 4 || !['puback', 'pubrec', 'pubrel', 'pubcomp', 'disconnect', 'auth'].includes(packet.type)) {
            expect(encode(comparable(packet), v)).toEqual(new Uint8Array(theirs));
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});
