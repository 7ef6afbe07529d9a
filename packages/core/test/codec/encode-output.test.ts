import { describe, expect, it } from 'vitest';
import { decode, encode, type PublishPacket } from '../../src/codec/index.ts';

const publish = (n: number): PublishPacket => ({
  type: 'publish',
  topic: 't',
  payload: new Uint8Array(n).fill(n & 0xff),
  qos: 0,
  retain: false,
  dup: false,
});

describe('encode output (small packets share a pooled ArrayBuffer, never bytes)', () => {
  it('every packet owns its bytes: writing into one changes no other', () => {
    const packets = Array.from({ length: 200 }, (_, i) => encode(publish(i * 37), 4));
    const copies = packets.map((bytes) => bytes.slice());
    for (const bytes of packets) bytes.fill(0xee);
    packets.forEach((bytes, i) => {
      expect(bytes.every((b) => b === 0xee)).toBe(true);
      expect(decode(copies[i]!, 4)).toEqual(publish(i * 37));
    });
    // Together they would overlap if any two views shared a byte.
    const byBuffer = new Map<ArrayBufferLike, [number, number][]>();
    for (const bytes of packets) {
      const spans = byBuffer.get(bytes.buffer) ?? [];
      spans.push([bytes.byteOffset, bytes.byteOffset + bytes.byteLength]);
      byBuffer.set(bytes.buffer, spans);
    }
    for (const spans of byBuffer.values()) {
      spans.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    }
    expect(byBuffer.size).toBeLessThan(packets.length); // the pool is in use
  });

  it('a packet over 4 KB, or of at most 64 bytes, gets an ArrayBuffer of its own', () => {
    for (const bytes of [encode(publish(5000), 4), encode(publish(10), 4)]) {
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
    }
  });

  it('encoding goes on after a pooled buffer was transferred away (detached)', () => {
    const first = encode(publish(100), 4);
    expect(first.buffer.byteLength).toBeGreaterThan(first.byteLength); // pooled
    structuredClone(first.buffer, { transfer: [first.buffer] });
    expect(first.byteLength).toBe(0);
    const next = encode(publish(101), 4);
    expect(decode(next, 4)).toEqual(publish(101));
  });
});
