// @vitest-environment jsdom
/**
 * The hooks over core's real MqttClient, its network replaced by core's packet-level fake transport (the client
 * engineer's test harness), so SUBSCRIBE/UNSUBSCRIBE on the wire can be counted deterministically.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient, MqttClientApi } from '@mqttkit/core';
import { MqttProvider, text, useMqttClient, useMqttMessages, useMqttSubscription, useMqttTopic, usePublish } from '../src/index.ts';
import { connected, harness as clientHarness } from '../../core/test/client/harness.ts';
import { FakeClock, FakeNetwork, settle, type FakeConnection } from '../../core/test/client/fakes.ts';
import { harness, RenderCounter } from './render.tsx';

afterEach(cleanup);

const encoder = new TextEncoder();

function publish(connection: FakeConnection, topic: string, payload: string, retain = false): void {
  connection.deliver({ type: 'publish', topic, payload: encoder.encode(payload), qos: 0, retain, dup: false });
}

function filtersOf(connection: FakeConnection, type: 'subscribe' | 'unsubscribe'): string[] {
  return type === 'subscribe'
    ? connection.ofType('subscribe').flatMap((packet) => packet.subscriptions.map((s) => s.filter))
    : connection.ofType('unsubscribe').flatMap((packet) => packet.filters);
}

async function setup(strict = false) {
  const core = clientHarness({ unsubscribeDelay: 1_000 });
  const connection = await connected(core);
  const h = harness<MqttClient>(core.client, { strict });
  return { core, connection, h };
}

function Tile({ topic, counter }: { topic: string; counter: RenderCounter }) {
  const value = useMqttTopic(topic, { initial: '-' });
  counter.hit(topic);
  return <span data-testid={topic}>{value}</span>;
}

describe('hooks over the real client', () => {
  it('re-renders only tiles whose topic got a PUBLISH, once per frame', async () => {
    const { connection, h } = await setup();
    const counter = new RenderCounter();
    const topics = Array.from({ length: 20 }, (_, i) => `tile/${i}`);
    h.mount(topics.map((topic) => <Tile key={topic} topic={topic} counter={counter} />));
    counter.reset();

    for (let i = 0; i < 300; i++) act(() => publish(connection, `tile/${i % 3}`, `v${i}`));
    act(() => h.frames.flush());

    expect([counter.get('tile/0'), counter.get('tile/1'), counter.get('tile/2')]).toEqual([1, 1, 1]);
    expect(topics.slice(3).every((topic) => counter.get(topic) === 0)).toBe(true);
    expect(screen.getByTestId('tile/2').textContent).toBe('v299');
  });

  it("StrictMode: one SUBSCRIBE per filter, no UNSUBSCRIBE until the last component is gone and core's unsubscribeDelay ran out", async () => {
    const { core, connection, h } = await setup(true);
    const counter = new RenderCounter();
    const view = h.mount(
      <>
        <Tile topic="a/+" counter={counter} />
        <Tile topic="a/+" counter={counter} />
        <Tile topic="b" counter={counter} />
      </>,
    );
    core.clock.advance(1_000);
    expect(filtersOf(connection, 'subscribe')).toEqual(['a/+', 'b']);
    expect(filtersOf(connection, 'unsubscribe')).toEqual([]);

    view.unmount();
    await Promise.resolve(); // the hooks release their handles at the end of the task
    core.clock.advance(999);
    expect(filtersOf(connection, 'unsubscribe')).toEqual([]); // still inside unsubscribeDelay
    core.clock.advance(1);
    expect(filtersOf(connection, 'unsubscribe').sort()).toEqual(['a/+', 'b']);
  });

  it("a component back in a later task, within unsubscribeDelay, gets the cached value without a new SUBSCRIBE", async () => {
    const { core, connection, h } = await setup();
    const counter = new RenderCounter();
    const view = h.mount(<Tile topic="room/temp" counter={counter} />);
    const subscribe = connection.ofType('subscribe')[0]!;
    act(() => connection.deliver({ type: 'suback', packetId: subscribe.packetId, reasonCodes: [0] }));
    act(() => publish(connection, 'room/temp', '21.5'));
    act(() => h.frames.flush());
    view.rerender(h.wrap(null));
    await Promise.resolve(); // the hook's handle is released: core's delay runs
    core.clock.advance(500);
    view.rerender(h.wrap(<Tile topic="room/temp" counter={counter} />));
    await act(() => settle()); // core replays its cached message after subscribe() returns
    act(() => h.frames.flush());
    expect(screen.getByTestId('room/temp').textContent).toBe('21.5');
    core.clock.advance(1_000);
    expect(filtersOf(connection, 'subscribe')).toEqual(['room/temp']);
    expect(filtersOf(connection, 'unsubscribe')).toEqual([]);
  });

  it('a 10,000-message burst reaches useMqttSubscription with zero loss', async () => {
    const { connection, h } = await setup();
    const received: string[] = [];
    function Sink() {
      useMqttSubscription('burst/#', (message) => received.push(text(message.payload)));
      return null;
    }
    h.mount(<Sink />);
    act(() => {
      for (let i = 0; i < 10_000; i++) publish(connection, `burst/${i % 10}`, String(i));
    });
    expect(received).toHaveLength(10_000);
    expect(received.every((value, i) => value === String(i))).toBe(true);
  });

  it('useMqttMessages stays bounded under a burst', async () => {
    const { connection, h } = await setup();
    let list: readonly { payload: Uint8Array }[] = [];
    function Log() {
      list = useMqttMessages('log', { limit: 50 });
      return null;
    }
    h.mount(<Log />);
    act(() => {
      for (let i = 0; i < 5_000; i++) publish(connection, 'log', String(i));
    });
    act(() => h.frames.flush());
    expect(list).toHaveLength(50);
    expect(text(list[0]!.payload)).toBe('4950');
    expect(text(list[49]!.payload)).toBe('4999');
  });

  it('usePublish while offline says the message was queued; it goes out on connect', async () => {
    const core = clientHarness();
    const h = harness<MqttClient>(core.client);
    let state!: ReturnType<typeof usePublish>;
    function Button() {
      state = usePublish();
      return null;
    }
    h.mount(<Button />);
    let sent!: Promise<void>;
    act(() => {
      sent = state.publish('lamp', 'on');
    });
    expect(state).toMatchObject({ pending: true, queued: true });
    await act(async () => {}); // the client publishes its queued count once per tick
    expect(core.client.state.getSnapshot().queued).toBe(1);

    await act(async () => {
      const done = core.client.connect();
      await settle();
      core.network.accept();
      await done;
      await sent;
    });
    expect(state).toMatchObject({ pending: false, queued: false, error: undefined });
    expect(core.network.last.ofType('publish').map((packet) => packet.topic)).toEqual(['lamp']);
  });

  it('a provider with a url connects its own client and closes it on unmount (DISCONNECT sent)', async () => {
    const network = new FakeNetwork();
    let client: MqttClientApi | undefined;
    function Probe() {
      client = useMqttClient();
      return null;
    }
    const view = render(
      <MqttProvider url="ws://broker.test/mqtt" options={{ transport: network.factory, clock: new FakeClock() }}>
        <Probe />
      </MqttProvider>,
    );
    await act(async () => {
      await settle();
      network.accept();
      await settle();
    });
    expect(client!.state.getSnapshot().status).toBe('connected');

    view.unmount();
    await act(() => settle());
    expect(client!.state.getSnapshot().status).toBe('closed');
    expect(network.last.ofType('disconnect')).toHaveLength(1);
  });

  it('a client passed in stays connected after the provider unmounts', async () => {
    const { core, connection, h } = await setup();
    const view = h.mount(<Tile topic="a" counter={new RenderCounter()} />);
    view.unmount();
    await act(() => settle());
    expect(core.client.state.getSnapshot().status).toBe('connected');
    expect(connection.ofType('disconnect')).toHaveLength(0);
  });
});
