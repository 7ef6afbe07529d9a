// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MqttError } from '@mqttkit/core';
import { MqttProvider, useMqttClient, useMqttTopic } from '../src/index.ts';
import { FakeClient } from './fakes.ts';
import { Catch, harness } from './render.tsx';

afterEach(cleanup);

function Tile({ topic }: { topic: string }) {
  return <span data-testid={topic}>{useMqttTopic(topic, { initial: '-' })}</span>;
}

describe('subscriptions follow component lifetime', () => {
  it('StrictMode double mount sends one SUBSCRIBE per filter and no UNSUBSCRIBE; the last unmount releases after the grace period', () => {
    const h = harness(new FakeClient(), { strict: true });
    const view = h.mount(
      <>
        <Tile topic="a" />
        <Tile topic="a" />
        <Tile topic="a" />
        <Tile topic="b" />
      </>,
    );
    expect(h.client.subscribed).toEqual(['a', 'b']);
    expect(h.client.subscribeCalls).toBe(2); // one shared client.subscribe per filter
    expect(h.client.unsubscribed).toEqual([]);
    expect(h.timers.pending).toBe(0);

    view.unmount();
    expect(h.client.unsubscribed).toEqual([]); // deferred
    expect(h.timers.pending).toBe(2);
    act(() => h.timers.runAll());
    expect(h.client.unsubscribed).toEqual(['a', 'b']);
  });

  it('a remount within the grace period keeps the subscription and its latest value', () => {
    const h = harness();
    const view = h.mount(<Tile topic="a" />);
    act(() => void h.client.emit('a', '1'));
    view.rerender(h.wrap(<Tile topic="b" />)); // "a" unmounts
    view.rerender(h.wrap(<Tile topic="a" />)); // and comes back before its grace period ends
    expect(screen.getByTestId('a').textContent).toBe('1');
    act(() => h.timers.runAll());
    expect(h.client.subscribed).toEqual(['a', 'b']);
    expect(h.client.unsubscribed).toEqual(['b']);
  });
});

describe('MqttProvider', () => {
  it('leaves a client passed in to its owner: no connect, no close', async () => {
    const client = new FakeClient();
    const view = render(
      <MqttProvider client={client}>
        <Tile topic="a" />
      </MqttProvider>,
    );
    view.unmount();
    await Promise.resolve();
    expect(client.connectCalls).toBe(0);
    expect(client.closeCalls).toBe(0);
  });

  it('useMqttClient returns the client', () => {
    const client = new FakeClient();
    let seen: unknown;
    function Probe() {
      seen = useMqttClient();
      return null;
    }
    render(
      <MqttProvider client={client}>
        <Probe />
      </MqttProvider>,
    );
    expect(seen).toBe(client);
  });

  it('a hook outside a provider throws an error that says to add <MqttProvider>', () => {
    const errors: unknown[] = [];
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <Catch onError={(error) => errors.push(error)}>
        <Tile topic="a" />
      </Catch>,
    );
    quiet.mockRestore();
    expect(errors[0]).toBeInstanceOf(MqttError);
    expect((errors[0] as MqttError).code).toBe('NO_PROVIDER');
    expect((errors[0] as Error).message).toContain('<MqttProvider');
  });
});
