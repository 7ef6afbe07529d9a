// @vitest-environment jsdom
import { StrictMode } from 'react';
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientOptions } from '@mqttkit/core';
import { MqttProvider, useMqttClient } from '../src/index.ts';

// Adapter behaviour only: the provider's own client replaced by the in-memory fake, so no socket is opened.
const made = vi.hoisted(() => ({ clients: [] as { options: unknown; connectCalls: number; closeCalls: number }[] }));
vi.mock('@mqttkit/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@mqttkit/core')>()),
  MqttClient: class {
    connectCalls = 0;
    closeCalls = 0;
    constructor(readonly options: ClientOptions) {
      made.clients.push(this);
    }
    connect() {
      this.connectCalls++;
      return Promise.resolve();
    }
    close() {
      this.closeCalls++;
      return Promise.resolve();
    }
  },
}));

afterEach(() => {
  cleanup();
  made.clients.length = 0;
});

it('options.unsubscribeDelay replaces the provider default', () => {
  render(<MqttProvider url="ws://broker.test/mqtt" options={{ unsubscribeDelay: 0 }} />);
  expect(made.clients[0]!.options).toEqual({ unsubscribeDelay: 0, url: 'ws://broker.test/mqtt' });
});

function Probe({ seen }: { seen: unknown[] }) {
  seen.push(useMqttClient());
  return null;
}

describe('MqttProvider with a url', () => {
  it('creates its client with the url and options, connects it, and closes it on unmount', async () => {
    const seen: unknown[] = [];
    const view = render(
      <MqttProvider url="ws://broker.test/mqtt" options={{ clientId: 'dash', keepalive: 30 }}>
        <Probe seen={seen} />
      </MqttProvider>,
    );
    expect(made.clients).toHaveLength(1);
    const client = made.clients[0]!;
    // A filter stays subscribed for a second after its last component leaves (core's unsubscribeDelay).
    expect(client.options).toEqual({ unsubscribeDelay: 1000, clientId: 'dash', keepalive: 30, url: 'ws://broker.test/mqtt' });
    expect(seen[0]).toBe(client);
    expect(client.connectCalls).toBe(1);

    view.unmount();
    await act(async () => {}); // the close is deferred by a microtask
    expect(client.closeCalls).toBe(1);
  });

  it('under StrictMode connects one client and does not close it until the real unmount', async () => {
    const seen: unknown[] = [];
    const view = render(
      <StrictMode>
        <MqttProvider url="ws://broker.test/mqtt">
          <Probe seen={seen} />
        </MqttProvider>
      </StrictMode>,
    );
    await act(async () => {});
    const used = made.clients.filter((client) => client.connectCalls > 0);
    expect(used).toHaveLength(1);
    expect(new Set(seen)).toEqual(new Set(used));
    expect(made.clients.every((client) => client.closeCalls === 0)).toBe(true);

    view.unmount();
    await act(async () => {});
    expect(used[0]!.closeCalls).toBe(1);
  });
});
