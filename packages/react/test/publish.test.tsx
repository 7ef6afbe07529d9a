// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { usePublish } from '../src/index.ts';
import { harness } from './render.tsx';

afterEach(cleanup);

function setup() {
  const h = harness();
  const hook = renderHook(() => usePublish(), { wrapper: ({ children }: { children: ReactNode }) => h.wrap(children) });
  return { h, hook };
}

describe('usePublish', () => {
  it('returns a stable publish, the client promise, and pending until it settles', async () => {
    const { h, hook } = setup();
    h.client.setState({ status: 'connected' });
    const publish = hook.result.current.publish;
    let promise!: Promise<void>;
    act(() => {
      promise = publish('lamp', 'on', { qos: 1 });
    });
    expect(h.client.published[0]).toMatchObject({ topic: 'lamp', payload: 'on', options: { qos: 1 } });
    expect(hook.result.current).toMatchObject({ pending: true, error: undefined, queued: false });
    expect(hook.result.current.publish).toBe(publish);

    await act(async () => {
      h.client.published[0]!.resolve();
      await promise;
    });
    expect(hook.result.current).toMatchObject({ pending: false, error: undefined, queued: false });
  });

  it('reports the error of a failed publish', async () => {
    const { h, hook } = setup();
    h.client.setState({ status: 'connected' });
    let promise!: Promise<void>;
    act(() => {
      promise = hook.result.current.publish('lamp', 'on');
    });
    const failure = new Error('refused');
    await act(async () => {
      h.client.published[0]!.reject(failure);
      await promise.catch(() => {});
    });
    expect(hook.result.current).toMatchObject({ pending: false, error: failure });
  });

  it('says a publish made while offline was queued', () => {
    const { h, hook } = setup();
    h.client.setState({ status: 'reconnecting' });
    act(() => void hook.result.current.publish('lamp', 'off'));
    expect(hook.result.current).toMatchObject({ pending: true, queued: true });
  });

  it('reports the last call: an earlier call settling later does not overwrite it', async () => {
    const { h, hook } = setup();
    h.client.setState({ status: 'connected' });
    let first!: Promise<void>;
    let second!: Promise<void>;
    act(() => {
      first = hook.result.current.publish('a', '1');
      second = hook.result.current.publish('a', '2');
    });
    await act(async () => {
      h.client.published[1]!.resolve();
      await second;
    });
    await act(async () => {
      h.client.published[0]!.reject(new Error('late failure'));
      await first.catch(() => {});
    });
    expect(hook.result.current).toMatchObject({ pending: false, error: undefined });
  });
});
