/** The tiles with @mqttkit/react: one `useMqttTopic` per tile, as an app would write it. */
import { useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { MqttClient, type MqttClientApi, type QoS } from '@mqttkit/core';
import { MqttProvider, useMqttStatus, useMqttTopic, usePublish } from '@mqttkit/react';
import { countCommit, countRender, params, stats } from './stats.ts';

function Tile({ i, topic }: { i: number; topic: string }) {
  const value = useMqttTopic(topic, { initial: '-' });
  countRender(i);
  useLayoutEffect(countCommit);
  return (
    <div className="tile" data-testid={topic}>
      {value}
    </div>
  );
}

function Status() {
  const { status } = useMqttStatus();
  const { publish, pending } = usePublish();
  return (
    <p>
      <span id="connection">{status}</span>{' '}
      <button id="ping" onClick={() => void publish(`${params().prefix}/from-page`, 'hello', { qos: 1 })}>
        {pending ? 'sending' : 'publish'}
      </button>
    </p>
  );
}

/** The client as the page gets it, counting every message it delivers and collecting SUBACKs. */
function counting(client: MqttClient, subscribed: Promise<QoS>[]): MqttClientApi {
  return {
    state: client.state,
    connect: () => client.connect(),
    close: () => client.close(),
    publish: (...args) => client.publish(...args),
    request: (...args) => client.request(...args),
    subscribe(filter, handler, options) {
      const handle = client.subscribe(
        filter,
        (message) => {
          stats.handled++;
          handler(message);
        },
        options,
      );
      subscribed.push(handle.ready);
      return handle;
    },
  };
}

export async function start(): Promise<void> {
  const { ws, tiles, prefix } = params();
  const client = new MqttClient({ url: ws });
  const subscribed: Promise<QoS>[] = [];
  const topics = Array.from({ length: tiles }, (_, i) => `${prefix}/${i}`);
  createRoot(document.getElementById('tiles')!).render(
    <MqttProvider client={counting(client, subscribed)}>
      <Status />
      {topics.map((topic, i) => (
        <Tile key={topic} i={i} topic={topic} />
      ))}
    </MqttProvider>,
  );
  await client.connect();
  // Ready when every tile's SUBSCRIBE is acknowledged (effects subscribe right after the first commit).
  for (let round = 0; round < 100 && subscribed.length < tiles; round++) await new Promise(requestAnimationFrame);
  await Promise.all(subscribed);
}
