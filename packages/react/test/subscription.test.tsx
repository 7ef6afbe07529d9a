// @vitest-environment jsdom
import { act, cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '@mqttkit/core';
import { text, useMqttSubscription } from '../src/index.ts';
import { FakeClient } from './fakes.ts';
import { harness } from './render.tsx';

afterEach(cleanup);

function Listener({ filter, onMessage }: { filter: string; onMessage: (message: Message) => void }) {
  useMqttSubscription(filter, onMessage);
  return null;
}

describe('useMqttSubscription', () => {
  it('delivers a 10,000-message burst with zero loss, in order', () => {
    const h = harness();
    const received: string[] = [];
    h.mount(<Listener filter="burst/#" onMessage={(m) => received.push(text(m.payload))} />);
    act(() => {
      for (let i = 0; i < 10_000; i++) h.client.emit(`burst/${i % 7}`, String(i));
    });
    expect(received).toHaveLength(10_000);
    expect(received.every((value, i) => value === String(i))).toBe(true);
    expect(h.frames.scheduled).toBe(0); // delivered synchronously, not batched
  });

  it('uses the latest callback without re-subscribing', () => {
    const h = harness();
    const first: string[] = [];
    const second: string[] = [];
    const view = h.mount(<Listener filter="t" onMessage={(m) => first.push(text(m.payload))} />);
    act(() => void h.client.emit('t', '1'));
    view.rerender(h.wrap(<Listener filter="t" onMessage={(m) => second.push(text(m.payload))} />));
    act(() => void h.client.emit('t', '2'));
    expect(first).toEqual(['1']);
    expect(second).toEqual(['2']);
    expect(h.client.subscribeCalls).toBe(1);
    expect(h.client.unsubscribed).toEqual([]);
  });

  it('under StrictMode delivers the retained message once and subscribes once', () => {
    const h = harness(new FakeClient(), { strict: true });
    const received: string[] = [];
    h.client.emit('state', 'on', { retain: true });
    h.mount(<Listener filter="state" onMessage={(m) => received.push(text(m.payload))} />);
    act(() => void h.client.emit('state', 'off'));
    expect(received).toEqual(['on', 'off']);
    expect(h.client.subscribed).toEqual(['state']);
    expect(h.client.unsubscribed).toEqual([]);
  });

  it('stops delivering after unmount and releases the filter at the end of the task', async () => {
    const h = harness();
    const received: string[] = [];
    const view = h.mount(<Listener filter="t" onMessage={(m) => received.push(text(m.payload))} />);
    view.unmount();
    h.client.emit('t', 'late');
    expect(received).toEqual([]);
    expect(h.client.unsubscribed).toEqual([]);
    await Promise.resolve();
    expect(h.client.unsubscribed).toEqual(['t']);
  });
});
