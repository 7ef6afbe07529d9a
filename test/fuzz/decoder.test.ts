/**
 * A slice of `npm run fuzz` for every test run: mutated valid packets of every type at both levels, random
 * bytes, lying lengths, truncations, random chunk splits. The long run (1,000,000 inputs) is `npm run fuzz`.
 */
import { describe, expect, it } from 'vitest';
import { encode, PacketDecoder } from '../../packages/core/src/codec/index.ts';
import { ProtocolError } from '../../packages/core/src/errors.ts';
import { createRandom, seedFromEnv } from '../support/random.ts';
import { createCorpus, createStats, fuzzOne } from './decoder-fuzz.ts';
import { heapAfterGc } from './memory.ts';
import { randomEncoded, typesAt } from './packets.ts';

const SEED = seedFromEnv();
const INPUTS = 8_000;

describe(`decoder fuzz slice (SEED=${SEED})`, () => {
  const corpus = createCorpus(SEED, 600);

  it(`${INPUTS} hostile inputs: only MalformedPacketError/ProtocolError, whole and split decodes agree, no slow input`, () => {
    const stats = createStats();
    for (let i = 0; i < INPUTS; i++) fuzzOne(corpus, i, stats);
    expect(stats.failures.map((f) => `${f.kind} #${f.index}: ${f.detail}`)).toEqual([]);
    expect(stats.inputs).toBe(INPUTS);
    // The mutations reach both outcomes and every error class, or the fuzzer is not doing its job.
    expect(stats.accepted).toBeGreaterThan(INPUTS * 0.1);
    expect([...stats.errorCodes.keys()].sort()).toEqual(
      expect.arrayContaining(['MalformedPacketError MALFORMED_PACKET 0x81', 'ProtocolError PACKET_TOO_LARGE 0x95', 'ProtocolError PROTOCOL_ERROR 0x82']),
    );
    for (const key of stats.errorCodes.keys()) expect(key).toMatch(/^(MalformedPacketError|ProtocolError) /);
  });

  it('heap stays flat across batches of hostile inputs', () => {
    const stats = createStats();
    const batch = (start: number) => {
      for (let i = start; i < start + 2000; i++) fuzzOne(corpus, i, stats);
      return heapAfterGc();
    };
    batch(98_000); // warm-up: JIT code and caches settle
    const warm = batch(100_000);
    batch(102_000);
    const last = batch(104_000);
    expect(stats.failures).toEqual([]);
    expect(last - warm, `heap after GC ${(warm / 1048576).toFixed(1)} MiB, then ${(last / 1048576).toFixed(1)} MiB`).toBeLessThan(16 * 1024 * 1024);
  });

  it('every prefix of a valid packet of every type waits for more bytes and never throws', () => {
    const r = createRandom(SEED);
    for (const v of [4, 5] as const) {
      for (const type of typesAt(v)) {
        const { bytes } = randomEncoded(r, v, type);
        for (let cut = 0; cut < Math.min(bytes.length, 300); cut++) {
          const decoder = new PacketDecoder(type === 'connect' ? {} : { version: v });
          expect(decoder.push(bytes.subarray(0, cut))).toEqual([]);
          expect(decoder.push(bytes.subarray(cut)).map((p) => p.type)).toEqual([type]);
        }
      }
    }
  });

  it('a remaining length over the maximum packet size is refused (0x95) from the header alone, before any body byte', () => {
    const decoder = new PacketDecoder({ version: 5, maximumPacketSize: 1024 * 1024 });
    // PUBLISH announcing 268,435,455 bytes: refused on its 5 header bytes with reason 0x95.
    const error = (() => {
      try {
        decoder.push(new Uint8Array([0x30, 0xff, 0xff, 0xff, 0x7f]));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ reasonCode: 0x95, code: 'PACKET_TOO_LARGE' });
  });

  it('a large packet trickled byte by byte waits without error and decodes once complete', () => {
    const decoder = new PacketDecoder({ version: 4 });
    const big = encode({ type: 'publish', topic: 't', payload: new Uint8Array(200_000), qos: 0, retain: false, dup: false }, 4);
    // Announces 200 KB; sends 2 KB one byte at a time: nothing decoded, no error, and the rest completes it.
    for (let i = 0; i < 2000; i++) expect(decoder.push(big.subarray(i, i + 1))).toEqual([]);
    const packets = decoder.push(big.subarray(2000));
    expect(packets).toHaveLength(1);
    expect(packets[0]).toMatchObject({ type: 'publish', topic: 't' });
  });
});
