// @vitest-environment jsdom
/** The README's examples, as written there, rendered against the in-memory client. */
import { useEffect, useRef } from 'react';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import {
  json,
  text,
  useMqttClient,
  useMqttMessages,
  useMqttRequest,
  useMqttStatus,
  useMqttSubscription,
  useMqttTopic,
  usePublish,
} from '../src/index.ts';
import { harness } from './render.tsx';

afterEach(cleanup);

function Temperature({ room }: { room: string }) {
  const text = useMqttTopic(`home/${room}/temperature`, { initial: '…' });
  return <p>{text} °C</p>;
}

interface Thermostat { mode: 'heat' | 'cool' | 'off'; target: number }

function Mode() {
  const mode = useMqttTopic('home/hall/thermostat', { parse: json<Thermostat>, select: (t) => t.mode, initial: 'off', qos: 1 });
  return <span>{mode}</span>;
}

const rings: string[] = [];
function DoorbellCounter() {
  const count = useRef(0);
  useMqttSubscription('home/+/doorbell', (message) => {
    count.current++;
    rings.push(`${message.topic} ${new TextDecoder().decode(message.payload)} ${count.current}`);
  });
  return null;
}

function EventLog() {
  const events = useMqttMessages('home/+/events', { limit: 20 });
  return (
    <ul>
      {events.map((m, i) => (
        <li key={i}>{m.topic}: {text(m.payload)}</li>
      ))}
    </ul>
  );
}

function LightSwitch() {
  const { publish, pending, error, queued } = usePublish();
  return (
    <button onClick={() => publish('home/kitchen/light/set', 'on', { qos: 1 }).catch(() => {})} disabled={pending}>
      {queued ? 'Queued (offline)' : error ? `Failed: ${error.message}` : 'Turn on'}
    </button>
  );
}

function ConnectionBadge() {
  const { status, attempt, nextRetryAt, queued } = useMqttStatus();
  if (status === 'reconnecting' && nextRetryAt) {
    return <span>Reconnecting (attempt {attempt}) in {Math.ceil((nextRetryAt - Date.now()) / 1000)} s, {queued} queued</span>;
  }
  return <span>{status}</span>;
}

function FirmwareVersion() {
  const { request, response, pending } = useMqttRequest();
  return (
    <p>
      <button onClick={() => request('devices/hub/version/get', '', { timeout: 2000 }).catch(() => {})}>Ask</button>
      {pending ? '…' : response && text(response.payload)}
    </p>
  );
}

function Heartbeat() {
  const client = useMqttClient();
  useEffect(() => {
    const timer = setInterval(() => void client?.publish('tablet/heartbeat', String(Date.now())), 30_000);
    return () => clearInterval(timer);
  }, [client]);
  return null;
}

it('the README examples render and update', () => {
  const h = harness();
  h.mount(
    <>
      <Temperature room="kitchen" />
      <Mode />
      <DoorbellCounter />
      <EventLog />
      <LightSwitch />
      <ConnectionBadge />
      <FirmwareVersion />
      <Heartbeat />
    </>,
  );
  expect(screen.getByText('… °C')).toBeTruthy();
  expect(screen.getByText('idle')).toBeTruthy();
  act(() => {
    h.client.emit('home/kitchen/temperature', '21.5');
    h.client.emit('home/hall/thermostat', '{"mode":"heat","target":21}');
    h.client.emit('home/front/doorbell', 'ding');
    h.client.emit('home/front/events', 'opened');
    h.client.setState({ status: 'connected' });
  });
  act(() => h.frames.flush());
  expect(screen.getByText('21.5 °C')).toBeTruthy();
  expect(screen.getByText('heat')).toBeTruthy();
  expect(rings).toEqual(['home/front/doorbell ding 1']);
  expect(screen.getByText('home/front/events: opened')).toBeTruthy();
  expect(screen.getByText('connected')).toBeTruthy();
  fireEvent.click(screen.getByText('Turn on'));
  expect(h.client.published.map((p) => [p.topic, p.payload])).toEqual([['home/kitchen/light/set', 'on']]);
});
