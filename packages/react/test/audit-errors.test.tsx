// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '@mqttkit/core';
import { json, text, useMqttSubscription, useMqttTopic } from '../src/index.ts';
import { harness } from './render.tsx';

afterEach(cleanup);

function Listener({ onMessage }: { onMessage: (message: Message) => void }) {
  useMqttSubscription('alarm', onMessage);
  return null;
}

describe('one bad callback or message does not break the others', () => {
  it('a useMqttSubscription callback that throws does not keep the message from the other components', async () => {
    const h = harness();
    const received: string[] = [];
    const reported: unknown[] = [];
    const failure = new Error('callback bug');
    h.mount(
      <>
        <Listener onMessage={() => { throw failure; }} />
        <Listener onMessage={(m) => received.push(text(m.payload))} />
      </>,
    );
    const onError = (error: unknown) => void reported.push(error);
    process.on('uncaughtException', onError);
    try {
      act(() => void h.client.emit('alarm', 'fire'));
      act(() => void h.client.emit('alarm', 'smoke'));
      expect(received).toEqual(['fire', 'smoke']);
    } finally {
      // Reported later, as core reports a throwing handler, not swallowed.
      await new Promise((resolve) => setTimeout(resolve));
      process.off('uncaughtException', onError);
    }
    expect(reported).toEqual([failure, failure]);
  });

  it('a parse that throws in one component does not affect another with a different parse on the same filter', () => {
    const h = harness();
    function Number_() {
      return <span data-testid="n">{useMqttTopic('r', { parse: json<number>, initial: 0 })}</span>;
    }
    function Text() {
      return <span data-testid="t">{useMqttTopic('r', { initial: '' })}</span>;
    }
    h.mount(<><Number_ /><Text /></>);
    act(() => void h.client.emit('r', '7'));
    act(() => void h.client.emit('r', 'oops'));
    act(() => h.frames.flush());
    expect(screen.getByTestId('n').textContent).toBe('0');
    expect(screen.getByTestId('t').textContent).toBe('oops');
    act(() => void h.client.emit('r', '8'));
    act(() => h.frames.flush());
    expect(screen.getByTestId('n').textContent).toBe('8');
  });

  it('a select returning a new object each time renders once per message, without a render loop', () => {
    const h = harness();
    let renders = 0;
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    function Boxed() {
      renders++;
      const box = useMqttTopic('box', { select: (value) => ({ value }), initial: { value: '-' } });
      return <span data-testid="box">{box.value}</span>;
    }
    h.mount(<Boxed />);
    const afterMount = renders;
    act(() => void h.client.emit('box', 'a'));
    act(() => h.frames.flush());
    expect(screen.getByTestId('box').textContent).toBe('a');
    expect(renders - afterMount).toBeLessThanOrEqual(2);
    const warnings = quiet.mock.calls.map((call) => String(call[0]));
    quiet.mockRestore();
    expect(warnings.filter((w) => /getSnapshot|Maximum update depth/.test(w))).toEqual([]);
  });
});
