// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { MqttError } from '@mqttkit/core';
import { useMqttStatus } from '../src/index.ts';
import { harness } from './render.tsx';

afterEach(cleanup);

describe('useMqttStatus', () => {
  it("follows the client's state, batched per frame", () => {
    const h = harness();
    const hook = renderHook(() => useMqttStatus(), { wrapper: ({ children }: { children: ReactNode }) => h.wrap(children) });
    expect(hook.result.current.status).toBe('idle');

    const error = new MqttError('TRANSPORT', 'socket closed');
    act(() => {
      h.client.setState({ status: 'connecting', attempt: 1 });
      h.client.setState({ status: 'reconnecting', error, attempt: 2, nextRetryAt: 1234, queued: 3 });
    });
    expect(hook.result.current.status).toBe('idle');
    act(() => h.frames.flush());
    expect(hook.result.current).toMatchObject({ status: 'reconnecting', error, attempt: 2, nextRetryAt: 1234, queued: 3 });
  });
});
