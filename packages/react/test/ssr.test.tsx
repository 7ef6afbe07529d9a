// Runs in Node (no DOM): what a server renders.
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MqttError } from '@mqttkit/core';
import { MqttProvider, useMqttMessages, useMqttRequest, useMqttStatus, useMqttTopic, usePublish } from '../src/index.ts';
import { FakeClient } from './fakes.ts';

const created = vi.hoisted(() => ({ count: 0 }));
vi.mock('@mqttkit/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@mqttkit/core')>()),
  MqttClient: class {
    constructor() {
      created.count++;
    }
  },
}));

afterEach(() => {
  vi.useRealTimers();
});

function Page() {
  const temperature = useMqttTopic('home/temp', { initial: 'n/a' });
  const { status } = useMqttStatus();
  const log = useMqttMessages('home/#');
  return (
    <p>
      {temperature} {status} {log.length}
    </p>
  );
}

describe('server rendering', () => {
  it('a provider with a url creates no client, connects nothing and starts no timer; hooks render their initial values', () => {
    vi.useFakeTimers();
    const html = renderToString(
      <MqttProvider url="ws://127.0.0.1:1/mqtt">
        <Page />
      </MqttProvider>,
    );
    expect(html).toContain('n/a');
    expect(html).toContain('idle');
    expect(created.count).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with a client passed in: no subscribe or connect, the initial value even if a retained one is known', () => {
    vi.useFakeTimers();
    const client = new FakeClient();
    client.emit('home/temp', '21', { retain: true });
    client.setState({ status: 'connected' });
    const html = renderToString(
      <MqttProvider client={client}>
        <Page />
      </MqttProvider>,
    );
    expect(html).toContain('n/a');
    expect(html).toContain('idle'); // hydration starts from the server's view, not the live one
    expect(client.subscribeCalls).toBe(0);
    expect(client.connectCalls).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([
    ['publish', () => usePublish().publish('home/light/set', 'on')],
    ['request', () => useMqttRequest().request('home/thermostat/get', '')],
  ])('%s called while rendering on the server throws a typed error saying where to call it', (method, call) => {
    let thrown: unknown;
    function Publisher() {
      try {
        void call();
      } catch (error) {
        thrown = error;
      }
      return null;
    }
    renderToString(
      <MqttProvider url="ws://127.0.0.1:1/mqtt">
        <Publisher />
      </MqttProvider>,
    );
    expect(thrown).toBeInstanceOf(MqttError);
    expect(thrown).toMatchObject({ code: 'SERVER_RENDER' });
    expect((thrown as Error).message).toContain(method);
    expect((thrown as Error).message).toContain('effect or event handler');
    expect(created.count).toBe(0);
  });
});
