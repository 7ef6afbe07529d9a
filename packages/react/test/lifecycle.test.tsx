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
  it('StrictMode double mount calls client.subscribe once per filter and never releases; the last unmount releases after the task', async () => {
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
    await Promise.resolve(); // past StrictMode's unmount/remount
    expect(h.client.unsubscribed).toEqual([]);

    view.unmount();
    expect(h.client.unsubscribed).toEqual([]); // deferred to the end of the task
    await Promise.resolve();
    // The fake releases at once; the real client then waits its unsubscribeDelay (real-client.test.tsx).
    expect(h.client.unsubscribed).toEqual(['a', 'b']);
  });

  it('a remount in the same task keeps the subscription and its latest value', async () => {
    const h = harness();
    const view = h.mount(<Tile topic="a" />);
    act(() => void h.client.emit('a', '1'));
    view.rerender(h.wrap(<Tile topic="b" />)); // "a" unmounts
    view.rerender(h.wrap(<Tile topic="a" />)); // and comes back in the same task
    expect(screen.getByTestId('a').textContent).toBe('1');
    await Promise.resolve();
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
