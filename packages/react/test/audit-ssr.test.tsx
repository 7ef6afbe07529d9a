// @vitest-environment jsdom
import { renderToString } from 'react-dom/server';
import { act } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  MqttProvider,
  text,
  useMqttClient,
  useMqttMessages,
  useMqttRequest,
  useMqttStatus,
  useMqttSubscription,
  useMqttTopic,
  usePublish,
} from '../src/index.ts';
import { FakeClient, ManualFrames } from './fakes.ts';
import { hydrateAndCollect } from './render.tsx';

function Page({ log }: { log: string[] }) {
  const temperature = useMqttTopic('home/temp', { initial: 'n/a' });
  const list = useMqttMessages('home/#', { limit: 5 });
  useMqttSubscription('home/#', (m) => log.push(text(m.payload)));
  const { status } = useMqttStatus();
  const client = useMqttClient();
  const { pending } = usePublish();
  const { response } = useMqttRequest();
  return <p>{`${temperature}|${list.length}|${status}|${client ? 'client' : 'none'}|${pending}|${response ? 'r' : '-'}`}</p>;
}

describe('server rendering and hydration with every hook', () => {
  it('renders initial values, subscribes and calls nothing, and hydrates without a mismatch to the live values', async () => {
    const client = new FakeClient();
    const frames = new ManualFrames();
    const log: string[] = [];
    const app = (
      <MqttProvider client={client} scheduleFrame={frames.schedule}>
        <Page log={log} />
      </MqttProvider>
    );
    const container = document.createElement('div');
    container.innerHTML = renderToString(app);
    expect(container.textContent).toBe('n/a|0|idle|client|false|-');
    expect(client.subscribeCalls).toBe(0);
    expect(client.published).toEqual([]);
    expect(log).toEqual([]);

    client.emit('home/temp', '21', { retain: true });
    client.setState({ status: 'connected' });
    const { recoverable, logged } = await hydrateAndCollect(container, app);
    act(() => frames.flush());
    expect(container.textContent).toBe('21|1|connected|client|false|-');
    expect(log).toEqual(['21']);
    expect(client.subscribed).toEqual(['home/temp', 'home/#']);
    expect(recoverable).toEqual([]);
    expect(logged).toEqual([]);
  });
});
