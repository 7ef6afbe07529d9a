// @vitest-environment jsdom
import { renderToString } from 'react-dom/server';
import { act } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MqttProvider, useMqttStatus, useMqttTopic } from '../src/index.ts';
import { FakeClient, ManualFrames } from './fakes.ts';
import { hydrateAndCollect } from './render.tsx';

function Page() {
  const temperature = useMqttTopic('home/temp', { initial: 'n/a' });
  const { status } = useMqttStatus();
  return (
    <p>
      {temperature}/{status}
    </p>
  );
}

describe('hydration', () => {
  it('hydrates from the server snapshot without a mismatch, then shows the live values', async () => {
    const client = new FakeClient();
    const frames = new ManualFrames();
    const app = (
      <MqttProvider client={client} scheduleFrame={frames.schedule}>
        <Page />
      </MqttProvider>
    );
    // What the server sent, before the browser's client knew anything.
    const container = document.createElement('div');
    container.innerHTML = renderToString(app);
    expect(container.textContent).toBe('n/a/idle');

    // In the browser the client already has a retained value and is connected when hydration starts.
    client.emit('home/temp', '21', { retain: true });
    client.setState({ status: 'connected' });
    const { recoverable, logged } = await hydrateAndCollect(container, app);
    act(() => frames.flush());
    expect(container.textContent).toBe('21/connected');
    expect(recoverable).toEqual([]);
    expect(logged).toEqual([]);
  });
});
