// @vitest-environment jsdom
/** The hooks over the real client and Debian mosquitto over WebSocket (`ws` injected: Node 20 has none). */
import './same-realm-text.ts';
import { StrictMode } from 'react';
import { act, cleanup, configure, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MqttClient, type ClientOptions } from '@mqttkit/core';
import { MqttProvider, text, useMqttSubscription, useMqttTopic, type FrameScheduler } from '../src/index.ts';
import { startMosquitto, type Mosquitto } from '../../../test/support/mosquitto.ts';
import { RenderCounter } from './render.tsx';

// A real broker on a machine shared by several test runs: waitFor's 1 s default timed out under load (it bounds
// waiting, not speed; no assertion here is about time).
configure({ asyncUtilTimeout: 5000 });

let broker: Mosquitto;
let publisher: MqttClient;

beforeAll(async () => {
  broker = await startMosquitto({ extraConfig: ['log_type debug'] });
  publisher = new MqttClient({ url: broker.wsUrl, WebSocket, clientId: 'react-publisher' });
  await publisher.connect();
});
afterEach(cleanup);
afterAll(async () => {
  await publisher.close();
  await broker.stop();
});

const options = (clientId: string): ClientOptions => ({ WebSocket, clientId });
/** How many times mosquitto logged receiving `packet` from `clientId`. */
const received = (packet: string, clientId: string) =>
  broker.logs().split('\n').filter((line) => line.includes(`Received ${packet} from ${clientId}`)).length;

function Tile({ topic, counter }: { topic: string; counter?: RenderCounter }) {
  const value = useMqttTopic(topic, { initial: '-' });
  counter?.hit(topic);
  return <span data-testid={topic}>{value}</span>;
}

describe('hooks through mosquitto', () => {
  it('[MQTT-3.3.1-6] useMqttTopic shows the retained value first, then live values', async () => {
    await publisher.publish('m/door', 'closed', { qos: 1, retain: true });
    render(
      <MqttProvider url={broker.wsUrl} options={options('react-retained')}>
        <Tile topic="m/door" />
      </MqttProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('m/door').textContent).toBe('closed'));
    await publisher.publish('m/door', 'open', { qos: 1 });
    await waitFor(() => expect(screen.getByTestId('m/door').textContent).toBe('open'));
  });

  it('StrictMode with three components on one filter: one SUBSCRIBE, and one UNSUBSCRIBE after unmount', async () => {
    const id = 'react-strict';
    await publisher.publish('m/strict/x', 'hello', { qos: 1, retain: true });
    const view = render(
      <StrictMode>
        <MqttProvider url={broker.wsUrl} options={{ ...options(id), unsubscribeDelay: 20 }}>
          <Tile topic="m/strict/+" />
          <Tile topic="m/strict/+" />
          <Tile topic="m/strict/+" />
        </MqttProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getAllByText('hello')).toHaveLength(3));
    expect(received('SUBSCRIBE', id)).toBe(1);
    expect(received('UNSUBSCRIBE', id)).toBe(0);

    // Unmount the tiles but keep the provider's client alive, so the UNSUBSCRIBE can go out.
    view.rerender(
      <StrictMode>
        <MqttProvider url={broker.wsUrl} options={{ ...options(id), unsubscribeDelay: 20 }} />
      </StrictMode>,
    );
    await waitFor(() => expect(received('UNSUBSCRIBE', id)).toBe(1));
    expect(received('SUBSCRIBE', id)).toBe(1);
  });

  it('50 tiles reach their final values, each rendering at most once per animation frame', async () => {
    let frames = 0;
    const countedFrame: FrameScheduler = (flush) =>
      requestAnimationFrame(() => {
        frames++;
        flush();
      });
    const counter = new RenderCounter();
    const topics = Array.from({ length: 50 }, (_, i) => `m/tile/${i}`);
    render(
      <MqttProvider url={broker.wsUrl} options={options('react-tiles')} scheduleFrame={countedFrame}>
        {topics.map((topic) => (
          <Tile key={topic} topic={topic} counter={counter} />
        ))}
      </MqttProvider>,
    );
    await waitFor(() => expect(received('SUBSCRIBE', 'react-tiles')).toBe(50));
    // SUBACKs before publishing, so no message is published before its subscription exists.
    await waitFor(() => expect(broker.logs()).toContain('Sending SUBACK to react-tiles'));
    await act(async () => {
      const sends: Promise<void>[] = [];
      for (let round = 0; round < 20; round++) {
        for (const topic of topics) sends.push(publisher.publish(topic, `${round}`, { qos: 1 }));
      }
      await Promise.all(sends);
    });
    await waitFor(() => expect(topics.every((topic) => screen.getByTestId(topic).textContent === '19')).toBe(true));
    // One mount render, at most one after subscribing, then at most one per frame.
    for (const topic of topics) expect(counter.get(topic)).toBeLessThanOrEqual(frames + 2);
    expect(Math.max(...topics.map((topic) => counter.get(topic)))).toBeLessThan(20);
  });

  it('useMqttSubscription receives a 10,000-message QoS 1 burst with zero loss, in order', async () => {
    const got: string[] = [];
    function Sink() {
      useMqttSubscription('m/burst', (message) => got.push(text(message.payload)), { qos: 1 });
      return null;
    }
    render(
      <MqttProvider url={broker.wsUrl} options={options('react-burst')}>
        <Sink />
      </MqttProvider>,
    );
    await waitFor(() => expect(broker.logs()).toContain('Sending SUBACK to react-burst'));
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 10_000; i++) sends.push(publisher.publish('m/burst', String(i), { qos: 1 }));
    await Promise.all(sends);
    await waitFor(() => expect(got).toHaveLength(10_000), { timeout: 30_000 });
    expect(got.every((value, i) => value === String(i))).toBe(true);
  }, 40_000); // QoS 1 through a real broker on a shared 2-core machine: seconds, not milliseconds
});
