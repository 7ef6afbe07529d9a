// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '@mqttkit/core';
import { json, useMqttTopic } from '../src/index.ts';
import { Catch, harness, RenderCounter } from './render.tsx';

afterEach(cleanup);

function Tile({ topic, counter }: { topic: string; counter: RenderCounter }) {
  const value = useMqttTopic(topic, { initial: '-' });
  counter.hit(topic);
  return <span data-testid={topic}>{value}</span>;
}

describe('useMqttTopic', () => {
  it('re-renders only the tile whose topic got messages, once per frame for a burst', () => {
    const h = harness();
    const counter = new RenderCounter();
    const topics = ['room/1', 'room/2', 'room/3'];
    h.mount(topics.map((topic) => <Tile key={topic} topic={topic} counter={counter} />));
    counter.reset();

    // Separate act() calls: each message is its own task, so only our frame batching can merge them.
    for (let i = 0; i < 200; i++) act(() => void h.client.emit('room/2', `v${i}`));
    expect(counter.get('room/2')).toBe(0); // nothing renders before the frame
    expect(h.frames.scheduled).toBe(1);
    act(() => h.frames.flush());

    expect(counter.get('room/2')).toBe(1);
    expect(counter.get('room/1')).toBe(0);
    expect(counter.get('room/3')).toBe(0);
    expect(screen.getByTestId('room/2').textContent).toBe('v199');
    expect(screen.getByTestId('room/1').textContent).toBe('-');
  });

  it('does not re-render when a message leaves the selected value unchanged', () => {
    const h = harness();
    const counter = new RenderCounter();
    function Mode() {
      const mode = useMqttTopic('hvac', { parse: json<{ mode: string; t: number }>, select: (v) => v.mode, initial: 'off' });
      counter.hit('mode');
      return <span data-testid="mode">{mode}</span>;
    }
    h.mount(<Mode />);
    act(() => h.client.emit('hvac', '{"mode":"heat","t":20}'));
    act(() => h.frames.flush());
    expect(screen.getByTestId('mode').textContent).toBe('heat');
    counter.reset();

    act(() => h.client.emit('hvac', '{"mode":"heat","t":21}'));
    act(() => h.frames.flush());
    expect(counter.get('mode')).toBe(0);
  });

  it('shows the retained value first, and a component mounting later gets the latest value without a new subscribe', () => {
    const h = harness();
    const counter = new RenderCounter();
    h.client.emit('door', 'closed', { retain: true });
    const view = h.mount(<Tile topic="door" counter={counter} />);
    expect(screen.getByTestId('door').textContent).toBe('closed');

    act(() => h.client.emit('door', 'open'));
    act(() => h.frames.flush());
    view.rerender(h.wrap(<><Tile topic="door" counter={counter} /><LateTile /></>));
    expect(screen.getByTestId('late').textContent).toBe('open');
    expect(h.client.subscribeCalls).toBe(1);
  });

  it('matches wildcard filters and keeps the latest matching message', () => {
    const h = harness();
    const counter = new RenderCounter();
    h.mount(<Tile topic="sensors/+/temp" counter={counter} />);
    act(() => {
      h.client.emit('sensors/a/temp', '20');
      h.client.emit('sensors/b/humidity', '50');
      h.client.emit('sensors/b/temp', '22');
    });
    act(() => h.frames.flush());
    expect(screen.getByTestId('sensors/+/temp').textContent).toBe('22');
  });

  it('keeps the last good value when a payload does not parse', () => {
    const h = harness();
    function Reading() {
      const value = useMqttTopic('r', { parse: json<number>, initial: 0 });
      return <span data-testid="r">{value}</span>;
    }
    h.mount(<Reading />);
    act(() => h.client.emit('r', '41'));
    act(() => h.frames.flush());
    act(() => h.client.emit('r', 'not json'));
    act(() => h.frames.flush());
    expect(screen.getByTestId('r').textContent).toBe('41');
  });

  it('moves the subscription when the filter prop changes', async () => {
    const h = harness();
    const counter = new RenderCounter();
    const view = h.mount(<Tile topic="a" counter={counter} />);
    act(() => h.client.emit('a', 'A'));
    act(() => h.frames.flush());
    view.rerender(h.wrap(<Tile topic="b" counter={counter} />));
    expect(screen.getByTestId('b').textContent).toBe('-');
    await act(() => Promise.resolve());
    expect(h.client.subscribed).toEqual(['a', 'b']);
    expect(h.client.unsubscribed).toEqual(['a']);
    act(() => h.client.emit('b', 'B'));
    act(() => h.frames.flush());
    expect(screen.getByTestId('b').textContent).toBe('B');
  });

  it("throws core's InvalidArgumentError for an invalid filter", () => {
    const h = harness();
    const errors: unknown[] = [];
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    h.mount(
      <Catch onError={(error) => errors.push(error)}>
        <Tile topic="a/#/b" counter={new RenderCounter()} />
      </Catch>,
    );
    quiet.mockRestore();
    expect(errors[0]).toBeInstanceOf(InvalidArgumentError);
    expect(h.client.subscribeCalls).toBe(0);
  });
});

function LateTile() {
  return <span data-testid="late">{useMqttTopic('door')}</span>;
}
