// @vitest-environment jsdom
import { act, cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '@mqttkit/core';
import { text, useMqttMessages } from '../src/index.ts';
import { harness } from './render.tsx';

afterEach(cleanup);

describe('useMqttMessages when limit changes at runtime', () => {
  let list: readonly Message[] = [];
  function Log({ limit }: { limit: number }) {
    list = useMqttMessages('log', { limit });
    return null;
  }
  const payloads = () => list.map((m) => text(m.payload));

  it('a smaller limit trims the list it has, a larger one keeps what it holds and grows, with no new subscribe', () => {
    const h = harness();
    const view = h.mount(<Log limit={5} />);
    for (const value of ['1', '2', '3', '4', '5']) act(() => void h.client.emit('log', value));
    act(() => h.frames.flush());
    expect(payloads()).toEqual(['1', '2', '3', '4', '5']);

    view.rerender(h.wrap(<Log limit={3} />));
    expect(payloads()).toEqual(['3', '4', '5']);

    view.rerender(h.wrap(<Log limit={10} />));
    act(() => void h.client.emit('log', '6'));
    act(() => h.frames.flush());
    // The buffer may still hold messages the smaller limit hid (memory stays ≤ 2 × limit): at least the three it
    // showed, plus the new one, and never a gap.
    const shown = payloads();
    expect(shown.slice(-4)).toEqual(['3', '4', '5', '6']);
    expect(['1', '2', '3', '4', '5', '6'].slice(-shown.length)).toEqual(shown);
    expect(h.client.subscribeCalls).toBe(1);
  });

  it('limit 0 keeps no messages, however many arrive', () => {
    const h = harness();
    h.mount(<Log limit={0} />);
    for (let i = 0; i < 5; i++) act(() => void h.client.emit('log', String(i)));
    act(() => h.frames.flush());
    expect(payloads()).toEqual([]);
  });
});
