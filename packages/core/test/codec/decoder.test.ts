import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, PacketDecoder, type Packet, type PublishPacket } from '../../src/codec/index.ts';
import { MalformedPacketError, ProtocolError } from '../../src/errors.ts';
import { anyPacket } from './arbitraries.ts';
import { catchError, concat, decodeChunks, fingerprint, hex, utf8 } from './helpers.ts';

const packets: Packet[] = [
  { type: 'connect', protocolVersion: 5, clientId: 'client', clean: true, keepalive: 30, properties: { receiveMaximum: 20 } },
  { type: 'publish', topic: 'a/b', payload: utf8('hello'), qos: 1, retain: false, dup: false, packetId: 1, properties: { contentType: 'text/plain' } },
  { type: 'publish', topic: 'big', payload: new Uint8Array(300).map((_, i) => i), qos: 0, retain: true, dup: false },
  { type: 'pingreq' },
  { type: 'subscribe', packetId: 2, subscriptions: [{ filter: 'a/#', qos: 2, noLocal: false, retainAsPublished: true, retainHandling: 1 }] },
  { type: 'disconnect', reasonCode: 0 },
];
const stream = concat(packets.map((p) => encode(p, 5)));
const expected = fingerprint(packets);

describe('PacketDecoder', () => {
  it('decodes a stream of several packets in one chunk, in order', () => {
    expect(decodeChunks([stream])).toEqual(packets);
  });

  it('decodes identically for every split of the stream into two chunks', () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(fingerprint(decodeChunks([stream.subarray(0, i), stream.subarray(i)]))).toBe(expected);
    }
  });

  it('decodes identically when fed one byte at a time', () => {
    expect(decodeChunks(Array.from(stream, (b) => new Uint8Array([b])))).toEqual(packets);
  });

  it('decodes identically for splits into three chunks (every second first cut, every fifth second cut)', () => {
    for (let i = 0; i <= stream.length; i += 2) {
      for (let j = i; j <= stream.length; j += 5) {
        expect(fingerprint(decodeChunks([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)]))).toBe(expected);
      }
    }
  });

  it('decodes random packet streams identically under random chunking', () => {
    fc.assert(
      fc.property(fc.array(anyPacket(5), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (list, cuts) => {
        const bytes = concat(list.map((p) => encode(p, 5)));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, k) => bytes.subarray(start, points[k] ?? bytes.length));
        expect(decodeChunks(chunks, 5)).toEqual(list);
      }),
      { numRuns: 200 },
    );
  });

  it('returns nothing for a partial packet and keeps it for the next chunk', () => {
    const decoder = new PacketDecoder({ version: 4 });
    expect(decoder.push(hex('30'))).toEqual([]);
    expect(decoder.push(hex('05 00 01'))).toEqual([]);
    expect(decoder.push(hex('61 68 69 c0'))).toEqual([{ type: 'publish', topic: 'a', payload: utf8('hi'), qos: 0, retain: false, dup: false }]);
    expect(decoder.push(hex('00'))).toEqual([{ type: 'pingreq' }]);
  });

  it('a large payload inside one chunk is a view; one spanning chunks is copied into one array', () => {
    const bytes = encode(packets[2]!, 5);
    const inOne = new PacketDecoder({ version: 5 }).push(bytes)[0] as PublishPacket;
    expect(inOne.payload.buffer).toBe(bytes.buffer);
    const split = decodeChunks([bytes.subarray(0, 100), bytes.subarray(100)], 5)[0] as PublishPacket;
    expect(split.payload.buffer).not.toBe(bytes.buffer);
    expect(split.payload).toEqual((packets[2] as PublishPacket).payload);
  });

  it('[MQTT-3.1.2-24] 5.0 3.1.2.11.4: a packet over maximumPacketSize is a protocol error, 0x95, from its header alone', () => {
    const decoder = new PacketDecoder({ version: 5, maximumPacketSize: 100 });
    // Remaining length 268,435,455: only the 5 header bytes are pushed, nothing is buffered or allocated.
    const error = catchError(() => decoder.push(hex('30 ff ff ff 7f')));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ reasonCode: 0x95, code: 'PACKET_TOO_LARGE' });
    // Exactly the maximum is fine.
    const ok = new PacketDecoder({ version: 4, maximumPacketSize: 9 });
    expect(ok.push(hex('30 07 00 03 61 2f 62 68 69'))).toHaveLength(1);
    expect(() => new PacketDecoder({ version: 4, maximumPacketSize: 8 }).push(hex('30 07'))).toThrow(ProtocolError);
  });

  it('a header split across chunks is checked against the maximum before the body arrives', () => {
    const decoder = new PacketDecoder({ version: 4, maximumPacketSize: 1000 });
    expect(decoder.push(hex('30 ff'))).toEqual([]);
    expect(() => decoder.push(hex('ff 7f'))).toThrow(expect.objectContaining({ reasonCode: 0x95 }));
  });

  it('a claimed huge packet waits for its bytes without allocating them up front', () => {
    const decoder = new PacketDecoder({ version: 4 });
    expect(decoder.push(hex('30 ff ff ff 7f 00 01 61'))).toEqual([]);
    expect(decoder.push(new Uint8Array(1000))).toEqual([]);
  });

  it('is dead after an error: later pushes throw the same error', () => {
    const decoder = new PacketDecoder({ version: 4 });
    const error = catchError(() => decoder.push(hex('c0 00 00 00')));
    expect(error).toBeInstanceOf(MalformedPacketError);
    expect(catchError(() => decoder.push(hex('c0 00')))).toBe(error);
  });

  it('tryPush hands back the packets before a violation with the error, then stays dead', () => {
    const decoder = new PacketDecoder({ version: 4 });
    // PINGREQ, a PUBLISH "a" → "x", then a PINGRESP whose first byte has flags set [MQTT-2.2.2-2].
    const { packets, error } = decoder.tryPush(hex('c0 00 30 04 00 01 61 78 d1 00'));
    expect(packets).toEqual([{ type: 'pingreq' }, { type: 'publish', topic: 'a', payload: utf8('x'), qos: 0, retain: false, dup: false }]);
    expect(error).toBeInstanceOf(MalformedPacketError);
    expect(decoder.tryPush(hex('c0 00'))).toEqual({ packets: [], error });
    expect(catchError(() => decoder.push(hex('c0 00')))).toBe(error);
  });

  it('tryPush completes a held packet before the violation that follows it in the next chunk', () => {
    const decoder = new PacketDecoder({ version: 4 });
    expect(decoder.tryPush(hex('30 04 00 01'))).toEqual({ packets: [] });
    // The PUBLISH's last two bytes, then a remaining length that is not minimally encoded [MQTT-1.5.5-1].
    const { packets, error } = decoder.tryPush(hex('61 78 c0 80 00'));
    expect(packets.map((p) => p.type)).toEqual(['publish']);
    expect(error).toBeInstanceOf(MalformedPacketError);
  });

  it('tryPush learns the version from a CONNECT and reports a protocol error after it (CONNECT then junk)', () => {
    const decoder = new PacketDecoder();
    // 3.1.1 CONNECT "c", then a second packet of reserved type 0.
    const { packets, error } = decoder.tryPush(hex('10 0d 00 04 4d 51 54 54 04 02 00 00 00 01 63 00 00'));
    expect(packets).toEqual([{ type: 'connect', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0 }]);
    expect(decoder.version).toBe(4);
    expect(error).toBeInstanceOf(MalformedPacketError);
  });

  it('push keeps throwing at the first violation, whatever came before it in the chunk', () => {
    const decoder = new PacketDecoder({ version: 4 });
    expect(() => decoder.push(hex('c0 00 d1 00'))).toThrow(MalformedPacketError);
  });

  it('tryPush and push decode the same valid stream identically under random chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 8 }), (cuts) => {
        const decoder = new PacketDecoder();
        const out: Packet[] = [];
        let at = 0;
        for (const cut of [...cuts.sort((a, b) => a - b), stream.length]) {
          const result = decoder.tryPush(stream.subarray(at, Math.max(at, cut)));
          expect(result.error).toBeUndefined();
          out.push(...result.packets);
          at = Math.max(at, cut);
        }
        expect(fingerprint(out)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('decode() wants exactly one packet', () => {
    expect(() => decode(hex('c0 00 c0 00'), 4)).toThrow(MalformedPacketError);
    expect(() => decode(hex('30 05 00'), 4)).toThrow(MalformedPacketError);
    expect(() => decode(new Uint8Array(0), 4)).toThrow(MalformedPacketError);
  });
});
