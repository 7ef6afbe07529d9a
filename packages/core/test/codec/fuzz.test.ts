/**
 * Bounded fuzzing: random bytes and mutations of valid packets must give packets or typed errors, never another
 * exception or a hang. A seeded generator makes failures reproducible; loops stop at a count or a time budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, PacketDecoder, type ProtocolVersion } from '../../src/codec/index.ts';
import { MalformedPacketError, ProtocolError } from '../../src/errors.ts';
import { anyPacket } from './arbitraries.ts';

/** Mulberry32: small, fast, seeded. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Runs `input` through decode() and a streaming decoder; fails on anything but a typed error. */
function expectOnlyTypedErrors(input: Uint8Array, v: ProtocolVersion | undefined, split: number): void {
  for (const run of [
    () => decode(input, v ?? 5),
    () => {
      const d = new PacketDecoder(v ? { version: v, maximumPacketSize: 4096 } : {});
      d.push(input.subarray(0, split));
      d.push(input.subarray(split));
    },
  ]) {
    try {
      run();
    } catch (error) {
      if (!(error instanceof MalformedPacketError || error instanceof ProtocolError)) {
        throw new Error(`untyped error for ${Array.from(input, (b) => b.toString(16).padStart(2, '0')).join(' ')}: ${String(error)}`);
      }
    }
  }
}

// The time cap only bounds a slow (loaded) machine; the count is the real bound.
const BUDGET_MS = 20_000;

describe('decoder fuzzing', { timeout: 30_000 }, () => {
  it('random bytes (up to 100,000 inputs, 20 s cap) give only typed errors', () => {
    const rand = random(1);
    const start = performance.now();
    let count = 0;
    for (; count < 100_000 && performance.now() - start < BUDGET_MS; count++) {
      const input = new Uint8Array(1 + Math.floor(rand() * 40));
      for (let i = 0; i < input.length; i++) input[i] = rand() * 256;
      // Often make the length byte plausible so bodies get parsed, not just headers.
      if (input.length > 1 && rand() < 0.8) input[1] = input.length - 2;
      const v = ([4, 5, undefined] as const)[count % 3];
      expectOnlyTypedErrors(input, v, Math.floor(rand() * (input.length + 1)));
    }
    expect(count).toBeGreaterThan(1_000);
  });

  it('mutated valid packets (up to 200,000 inputs, 20 s cap) give only typed errors', () => {
    const corpus = ([4, 5] as const).flatMap((v) => fc.sample(anyPacket(v), { numRuns: 300, seed: v }).map((p) => ({ v, bytes: encode(p, v) })));
    const rand = random(2);
    const start = performance.now();
    let count = 0;
    for (; count < 200_000 && performance.now() - start < BUDGET_MS; count++) {
      const { v, bytes } = corpus[count % corpus.length]!;
      const input = mutate(bytes, rand);
      expectOnlyTypedErrors(input, v, Math.floor(rand() * (input.length + 1)));
    }
    expect(count).toBeGreaterThan(1_000);
  });
});

/** One to three byte-level mutations: flip, set to an edge value, insert, delete, truncate. */
function mutate(bytes: Uint8Array, rand: () => number): Uint8Array {
  let out = Array.from(bytes);
  const edits = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * Math.max(out.length, 1));
    switch (Math.floor(rand() * 5)) {
      case 0:
        out[at] = (out[at] ?? 0) ^ (1 << Math.floor(rand() * 8));
        break;
      case 1:
        out[at] = [0, 1, 0x7f, 0x80, 0xff, 0x23, 0x2b][Math.floor(rand() * 7)]!;
        break;
      case 2:
        out.splice(at, 0, Math.floor(rand() * 256));
        break;
      case 3:
        out.splice(at, 1);
        break;
      default:
        out = out.slice(0, at);
    }
  }
  return new Uint8Array(out);
}
