// @vitest-environment jsdom
import { act, cleanup, render, renderHook, screen } from '@testing-library/react';
import { StrictMode, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '@mqttkit/core';
import {
  MqttProvider,
  text,
  useMqttClient,
  useMqttMessages,
  useMqttStatus,
  useMqttSubscription,
  useMqttTopic,
  usePublish,
} from '../src/index.ts';
import { FakeClient, ManualFrames } from './fakes.ts';
import { harness } from './render.tsx';

afterEach(cleanup);

/** Every filter the fake client holds a subscription on: SUBSCRIBEs minus UNSUBSCRIBEs. */
function held(client: FakeClient): string[] {
  const count = new Map<string, number>();
  for (const filter of client.subscribed) count.set(filter, (count.get(filter) ?? 0) + 1);
  for (const filter of client.unsubscribed) count.set(filter, (count.get(filter) ?? 0) - 1);
  expect([...count.values()].every((n) => n === 0 || n === 1)).toBe(true);
  return [...count].filter(([, n]) => n === 1).map(([filter]) => filter).sort();
}

function Everything({ filter, log }: { filter: string; log: string[] }) {
  const value = useMqttTopic(filter, { initial: '-' });
  const list = useMqttMessages(filter, { limit: 3 });
  useMqttSubscription(filter, (m) => log.push(text(m.payload)));
  const { status } = useMqttStatus();
  useMqttClient();
  usePublish();
  return <span data-testid="all">{`${value}|${list.length}|${status}`}</span>;
}

describe('filter props changing quickly', () => {
  it('a → b → a → b in successive commits leaves exactly b subscribed, and only b delivers', async () => {
    const h = harness();
    const log: string[] = [];
    const view = h.mount(<Everything filter="a" log={log} />);
    for (const filter of ['b', 'a', 'b']) view.rerender(h.wrap(<Everything filter={filter} log={log} />));
    await act(() => Promise.resolve());
    expect(held(h.client)).toEqual(['b']);
    act(() => {
      h.client.emit('a', 'to a');
      h.client.emit('b', 'to b');
    });
    act(() => h.frames.flush());
    expect(log).toEqual(['to b']);
    expect(screen.getByTestId('all').textContent).toBe('to b|1|idle');
  });

  it('a → b → a with an await between each step: each move releases the old filter, none leaks', async () => {
    const h = harness();
    const log: string[] = [];
    const view = h.mount(<Everything filter="a" log={log} />);
    for (const filter of ['b', 'a', 'b', 'a']) {
      view.rerender(h.wrap(<Everything filter={filter} log={log} />));
      await act(() => Promise.resolve());
      expect(held(h.client)).toEqual([filter]);
    }
    view.unmount();
    await Promise.resolve();
    expect(held(h.client)).toEqual([]);
  });
});

describe('StrictMode with every hook', () => {
  it('subscribes once, delivers each message once, and releases on the real unmount', async () => {
    const h = harness(new FakeClient(), { strict: true });
    const log: string[] = [];
    h.client.emit('t', 'retained', { retain: true });
    const view = h.mount(<Everything filter="t" log={log} />);
    await act(() => Promise.resolve());
    expect(h.client.subscribed).toEqual(['t']);
    act(() => void h.client.emit('t', 'live'));
    act(() => h.frames.flush());
    expect(log).toEqual(['retained', 'live']);
    expect(screen.getByTestId('all').textContent).toBe('live|2|idle');
    view.unmount();
    await Promise.resolve();
    expect(held(h.client)).toEqual([]);
  });
});

describe('two providers and a replaced client', () => {
  it('two providers with different clients do not cross-talk', () => {
    const frames = new ManualFrames();
    const first = new FakeClient();
    const second = new FakeClient();
    const logs: [string[], string[]] = [[], []];
    render(
      <>
        <MqttProvider client={first} scheduleFrame={frames.schedule}>
          <Everything filter="t" log={logs[0]} />
        </MqttProvider>
        <MqttProvider client={second} scheduleFrame={frames.schedule}>
          <Everything filter="t" log={logs[1]} />
        </MqttProvider>
      </>,
    );
    act(() => {
      first.setState({ status: 'connected' });
      first.emit('t', 'one');
    });
    act(() => frames.flush());
    expect(logs).toEqual([['one'], []]);
    expect(screen.getAllByTestId('all').map((e) => e.textContent)).toEqual(['one|1|connected', '-|0|idle']);
  });

  it('a client prop replaced by another moves every subscription, status and publish to the new client', async () => {
    const frames = new ManualFrames();
    const old = new FakeClient();
    const next = new FakeClient();
    const log: string[] = [];
    let publish!: ReturnType<typeof usePublish>['publish'];
    function Publisher() {
      publish = usePublish().publish;
      return null;
    }
    const tree = (client: FakeClient) => (
      <MqttProvider client={client} scheduleFrame={frames.schedule}>
        <Everything filter="t" log={log} />
        <Publisher />
      </MqttProvider>
    );
    const view = render(tree(old));
    view.rerender(tree(next));
    await act(() => Promise.resolve());
    expect(held(old)).toEqual([]);
    expect(held(next)).toEqual(['t']);
    act(() => {
      next.setState({ status: 'connected' });
      old.emit('t', 'stale');
      next.emit('t', 'fresh');
    });
    act(() => frames.flush());
    expect(log).toEqual(['fresh']);
    expect(screen.getByTestId('all').textContent).toBe('fresh|1|connected');
    act(() => void publish('x', 'y').catch(() => {}));
    expect([old.published.length, next.published.length]).toEqual([0, 1]);
  });
});

describe('usePublish lifecycle', () => {
  function setup() {
    const h = harness();
    const hook = renderHook(() => usePublish(), { wrapper: ({ children }: { children: ReactNode }) => h.wrap(children) });
    h.client.setState({ status: 'connected' });
    return { h, hook };
  }

  it('a later success clears the error of an earlier failure', async () => {
    const { h, hook } = setup();
    let failed!: Promise<void>;
    act(() => void (failed = hook.result.current.publish('a', '1')));
    await act(async () => {
      h.client.published[0]!.reject(new Error('refused'));
      await failed.catch(() => {});
    });
    expect(hook.result.current.error?.message).toBe('refused');
    let succeeded!: Promise<void>;
    act(() => void (succeeded = hook.result.current.publish('a', '2')));
    expect(hook.result.current).toMatchObject({ pending: true, error: undefined });
    await act(async () => {
      h.client.published[1]!.resolve();
      await succeeded;
    });
    expect(hook.result.current).toMatchObject({ pending: false, error: undefined, queued: false });
  });

  it('unmounting while a publish is pending: the promise still settles, React warns about nothing', async () => {
    const { h, hook } = setup();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    let promise!: Promise<void>;
    act(() => void (promise = hook.result.current.publish('a', '1')));
    hook.unmount();
    h.client.published[0]!.resolve();
    await expect(promise).resolves.toBeUndefined();
    await Promise.resolve();
    const calls = errors.mock.calls.map((call) => String(call[0]));
    errors.mockRestore();
    expect(calls).toEqual([]);
  });
});

describe('StrictMode provider with a client', () => {
  it('keeps the same store across the double render, so a value is not lost', () => {
    const frames = new ManualFrames();
    const client = new FakeClient();
    let seen: readonly Message[] = [];
    function Log() {
      seen = useMqttMessages('t');
      return null;
    }
    render(
      <StrictMode>
        <MqttProvider client={client} scheduleFrame={frames.schedule}>
          <Log />
        </MqttProvider>
      </StrictMode>,
    );
    act(() => void client.emit('t', '1'));
    act(() => frames.flush());
    expect(seen.map((m) => text(m.payload))).toEqual(['1']);
  });
});
