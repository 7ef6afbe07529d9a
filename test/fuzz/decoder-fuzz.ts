/**
 * The decoder fuzzer: builds a byte stream from valid packets of both protocol levels, mutates it, and feeds it
 * to `PacketDecoder` twice, whole and in random chunk splits. Checks per input:
 * - every throw is a MalformedPacketError or ProtocolError (anything else is a failure);
 * - whole and split decoding agree (same packets, or the same error code), so chunk boundaries never matter;
 * - a dead decoder keeps throwing its error;
 * - (sampled) what the decoder accepts, `encode` writes back and decodes to the same packet; where it refuses,
 *   the decoder was more lenient than the encoder: counted as an asymmetry, reported, not a failure.
 * Every input is derived from (corpus seed and size, index) alone, so one failing input replays with
 * `replay(createCorpus(seed, size), index)`.
 */
import { MalformedPacketError, ProtocolError } from '../../packages/core/src/errors.ts';
import { decode, encode, PacketDecoder, type Packet, type ProtocolVersion } from '../../packages/core/src/codec/index.ts';
import { concat } from '../../packages/core/test/codec/helpers.ts';
import { createRandom, type Random } from '../support/random.ts';
import { MUTATION_NAMES, MUTATIONS } from './mutate.ts';
import { randomEncoded, typesAt } from './packets.ts';

export interface FuzzFailure {
  kind: 'untyped-error' | 'split-mismatch' | 'dead-decoder' | 'slow';
  seed: number;
  index: number;
  detail: string;
  /** The input's first bytes, hex. */
  input: string;
}

export interface DecoderFuzzStats {
  inputs: number;
  bytes: number;
  /** Inputs decoded without an error (possibly leaving a partial packet held). */
  accepted: number;
  packets: number;
  /** `ErrorClass code reasonCode` → count. */
  errorCodes: Map<string, number>;
  /** Error messages with digits and quoted text blanked → count: shows which checks the fuzzer reaches. */
  errorMessages: Map<string, number>;
  mutations: Map<string, number>;
  /** Decoded but `encode` refuses it, or re-decodes to something else. Not failures: leniency to report. */
  asymmetries: Map<string, { count: number; example: string }>;
  failures: FuzzFailure[];
  maxInputMs: number;
}

export interface DecoderInput {
  stream: Uint8Array;
  chunks: number[];
  version: ProtocolVersion | undefined;
  maximumPacketSize: number | undefined;
  mutation: string;
  /** Re-encode what decodes (costly, so only on a share of inputs). */
  roundTrip: boolean;
}

/** One input's seed: a cheap mix of the run seed and the index, so inputs are independent and replayable. */
const inputSeed = (seed: number, index: number): number => Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);

/** Valid encoded packets to mutate, per protocol level: CONNECTs apart, since a broker's stream starts with one. */
export interface Corpus {
  seed: number;
  connect: Record<ProtocolVersion, Uint8Array[]>;
  any: Record<ProtocolVersion, Uint8Array[]>;
}

/**
 * Draws `size` valid packets per level (every type evenly) from `seed`. Encoding is the slow part of an input,
 * so inputs pick from this pool; the same (seed, size) gives the same corpus.
 */
export function createCorpus(seed: number, size: number): Corpus {
  const r = createRandom(seed);
  const corpus: Corpus = { seed, connect: { 4: [], 5: [] }, any: { 4: [], 5: [] } };
  for (const v of [4, 5] as const) {
    const types = typesAt(v);
    for (let i = 0; i < size; i++) corpus.any[v].push(randomEncoded(r, v, types[i % types.length]).bytes);
    for (let i = 0; i < size / 8; i++) corpus.connect[v].push(randomEncoded(r, v, 'connect').bytes);
  }
  return corpus;
}

/** Builds input `index` of run `seed` from `corpus`. */
export function makeInput(corpus: Corpus, seed: number, index: number): DecoderInput {
  const r = createRandom(inputSeed(seed, index));
  const streamVersion: ProtocolVersion = r.chance(0.5) ? 4 : 5;
  // Given to the decoder (a client knows its level) or learned from CONNECT (a broker).
  const version = r.chance(0.5) ? streamVersion : undefined;
  const segments: Uint8Array[] = [];
  if (version === undefined && r.chance(0.85)) segments.push(r.pick(corpus.connect[streamVersion]));
  for (let n = r.range(segments.length ? 0 : 1, 4); n > 0; n--) segments.push(r.pick(corpus.any[streamVersion]));
  let mutation = 'none';
  if (r.chance(0.9)) {
    mutation = r.pick(MUTATION_NAMES);
    const at = r.chance(0.2) ? -1 : r.int(segments.length);
    const mutate = MUTATIONS[mutation]!;
    if (at < 0) segments.splice(0, segments.length, mutate(r, concat(segments)));
    else segments[at] = mutate(r, segments[at]!);
    if (r.chance(0.2)) {
      const second = r.pick(MUTATION_NAMES);
      mutation += `+${second}`;
      const i = r.int(segments.length);
      segments[i] = MUTATIONS[second]!(r, segments[i]!);
    }
  }
  const stream = concat(segments);
  return { stream, chunks: splits(r, stream.length), version, maximumPacketSize: r.chance(0.1) ? r.range(2, 400) : undefined, mutation, roundTrip: r.chance(0.15) };
}

/** Random chunk sizes summing to `n`: single bytes, small, large, or a mix (byte by byte only for short streams). */
function splits(r: Random, n: number): number[] {
  const style = n > 4000 ? 2 + r.int(2) : r.int(4);
  const out: number[] = [];
  for (let left = n; left > 0;) {
    const size = Math.min(left, style === 0 ? 1 : style === 1 ? r.range(1, 7) : style === 2 ? r.range(1, 300) : r.pick([1, 2, 5, 64, 1000]));
    out.push(size);
    left -= size;
  }
  return out;
}

interface Outcome {
  packets: Packet[];
  error?: unknown;
  decoder: PacketDecoder;
}

function run(input: DecoderInput, chunks: number[]): Outcome {
  const options: { version?: ProtocolVersion; maximumPacketSize?: number } = {};
  if (input.version !== undefined) options.version = input.version;
  if (input.maximumPacketSize !== undefined) options.maximumPacketSize = input.maximumPacketSize;
  const decoder = new PacketDecoder(options);
  const packets: Packet[] = [];
  let at = 0;
  try {
    for (const size of chunks) {
      // Views, never mutated: decoded payloads that point into earlier chunks stay valid.
      for (const p of decoder.push(input.stream.subarray(at, at + size))) packets.push(p);
      at += size;
    }
  } catch (error) {
    return { packets, error, decoder };
  }
  return { packets, decoder };
}

const isTyped = (error: unknown): error is MalformedPacketError | ProtocolError => error instanceof MalformedPacketError || error instanceof ProtocolError;

const errorKey = (error: MalformedPacketError | ProtocolError): string => `${error.name} ${error.code} 0x${(error.reasonCode ?? 0).toString(16)}`;

const messageKey = (message: string): string => message.replace(/"[^"]*"|0x[0-9a-f]+|\d+/gi, '_').slice(0, 70);

/** A canonical text of a packet, with byte arrays as hex and keys sorted, to compare decodes. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return `hex:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
    return v;
  });
}

export function createStats(): DecoderFuzzStats {
  return { inputs: 0, bytes: 0, accepted: 0, packets: 0, errorCodes: new Map(), errorMessages: new Map(), mutations: new Map(), asymmetries: new Map(), failures: [], maxInputMs: 0 };
}

const bump = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

/** Inputs slower than this are failures: a decoder linear in its input takes well under 10 ms for the largest (~300 KB); the margin absorbs a loaded machine. */
export const SLOW_INPUT_MS = 1000;
const MAX_FAILURES = 50;

/** Fuzzes input `index` of run `seed` and adds what happened to `stats`. */
export function fuzzOne(corpus: Corpus, index: number, stats: DecoderFuzzStats): void {
  const seed = corpus.seed;
  const input = makeInput(corpus, seed, index);
  const started = performance.now();
  const fail = (kind: FuzzFailure['kind'], detail: string): void => {
    if (stats.failures.length < MAX_FAILURES) stats.failures.push({ kind, seed, index, detail, input: Buffer.from(input.stream.subarray(0, 256)).toString('hex') });
  };
  stats.inputs++;
  stats.bytes += input.stream.length;
  bump(stats.mutations, input.mutation);

  const whole = run(input, [input.stream.length]);
  const split = run(input, input.chunks);
  for (const outcome of [whole, split]) {
    if (outcome.error !== undefined && !isTyped(outcome.error)) {
      const e = outcome.error as Error;
      fail('untyped-error', `${e?.name}: ${e?.message}\n${String(e?.stack).split('\n').slice(1, 6).join('\n')}`);
    }
  }
  if (isTyped(whole.error) && isTyped(split.error)) {
    if (errorKey(whole.error) !== errorKey(split.error)) fail('split-mismatch', `whole: ${whole.error.message}; split: ${split.error.message}`);
    // A dead decoder throws its error again [PacketDecoder contract].
    try {
      split.decoder.push(new Uint8Array([0xc0, 0]));
      fail('dead-decoder', 'a push after an error did not throw');
    } catch (again) {
      if (again !== split.error) fail('dead-decoder', `threw another error: ${String(again)}`);
    }
    bump(stats.errorCodes, errorKey(whole.error));
    bump(stats.errorMessages, messageKey(whole.error.message));
  } else if (whole.error === undefined && split.error === undefined) {
    stats.accepted++;
    stats.packets += whole.packets.length;
    // Full comparison on a share of inputs: canonical text of large payloads costs more than the decode.
    const differ = whole.packets.length !== split.packets.length || whole.packets.some((p, i) => p.type !== split.packets[i]!.type);
    if (differ || ((input.roundTrip || index % 8 === 0) && canonical(whole.packets) !== canonical(split.packets))) {
      fail('split-mismatch', `whole decoded ${whole.packets.length} packets, split ${split.packets.length}`);
    } else if (input.roundTrip) {
      roundTrip(whole.packets, input.version ?? whole.decoder.version, stats);
    }
  } else if (isTyped(whole.error) !== isTyped(split.error) || (whole.error === undefined) !== (split.error === undefined)) {
    fail('split-mismatch', `whole: ${String(whole.error ?? 'ok')}; split: ${String(split.error ?? 'ok')}`);
  }
  let ms = performance.now() - started;
  if (ms > SLOW_INPUT_MS) {
    // A loaded machine or a GC pause can stall any input once; a slow decoder is slow every time.
    for (let again = 0; again < 2 && ms > SLOW_INPUT_MS; again++) {
      const t = performance.now();
      run(input, [input.stream.length]);
      run(input, input.chunks);
      ms = Math.min(ms, performance.now() - t);
    }
    if (ms > SLOW_INPUT_MS) fail('slow', `${ms.toFixed(0)} ms for ${input.stream.length} bytes, three times`);
  }
  if (ms > stats.maxInputMs) stats.maxInputMs = ms;
}

/** Re-encodes decoded packets; what `encode` refuses or changes is an asymmetry between decoder and encoder. */
function roundTrip(packets: Packet[], learned: ProtocolVersion | undefined, stats: DecoderFuzzStats): void {
  for (const packet of packets) {
    const v = packet.type === 'connect' ? packet.protocolVersion : learned;
    if (v === undefined) continue;
    let note: string | undefined;
    try {
      const again = decode(encode(packet, v), v);
      if (canonical(again) !== canonical(packet)) note = `${packet.type} v${v}: re-decodes differently`;
    } catch (error) {
      note = `${packet.type} v${v}: encode refuses what decode accepted: ${messageKey((error as Error).message)}`;
    }
    if (note === undefined) continue;
    const seen = stats.asymmetries.get(note);
    if (seen) seen.count++;
    else stats.asymmetries.set(note, { count: 1, example: canonical(packet).slice(0, 300) });
  }
}

/** Runs one input again and returns what each decode did, for a failure's report. */
export function replay(corpus: Corpus, index: number): { input: DecoderInput; whole: unknown; split: unknown } {
  const input = makeInput(corpus, corpus.seed, index);
  const show = (o: Outcome) => (o.error !== undefined ? o.error : o.packets.map((p) => p.type));
  return { input, whole: show(run(input, [input.stream.length])), split: show(run(input, input.chunks)) };
}
