// @vitest-environment jsdom
import { act, cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '@mqttkit/core';
import { text, useMqttMessages } from '../src/index.ts';
import { harness, RenderCounter } from './render.tsx';

afterEach(cleanup);

describe('useMqttMessages', () => {
  it('keeps only the newest `limit` messages, oldest first, and renders once per frame for a burst', () => {
    const h = harness();
    const counter = new RenderCounter();
    let list: readonly Message[] = [];
    function Log() {
      list = useMqttMessages('log/#', { limit: 10 });
      counter.hit('log');
      return null;
    }
    h.mount(<Log />);
    expect(list).toEqual([]);
    counter.reset();

    for (let i = 0; i < 1_000; i++) act(() => void h.client.emit(`log/${i % 3}`, String(i)));
    expect(counter.get('log')).toBe(0);
    act(() => h.frames.flush());
    expect(counter.get('log')).toBe(1);
    expect(list.map((m) => text(m.payload))).toEqual(['990', '991', '992', '993', '994', '995', '996', '997', '998', '999']);

    act(() => void h.client.emit('log/0', 'next'));
    act(() => h.frames.flush());
    expect(list).toHaveLength(10);
    expect(text(list[9]!.payload)).toBe('next');
    expect(text(list[0]!.payload)).toBe('991');
  });

  it('starts with the retained message and returns a stable list between messages', () => {
    const h = harness();
    const seen: (readonly Message[])[] = [];
    function Log({ tick }: { tick: number }) {
      seen.push(useMqttMessages('door', { limit: 5 }));
      return <span>{tick}</span>;
    }
    h.client.emit('door', 'closed', { retain: true });
    const view = h.mount(<Log tick={0} />);
    view.rerender(h.wrap(<Log tick={1} />));
    const last = seen[seen.length - 1]!;
    expect(last.map((m) => text(m.payload))).toEqual(['closed']);
    expect(seen[seen.length - 2]).toBe(last); // same array when nothing arrived
  });
});
