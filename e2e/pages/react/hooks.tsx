/** The same tiles with mqtt-react-hooks (the wrapper people install today), written as its README shows. */
import { useEffect, useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/client';
import type { MqttClient } from 'mqtt';
import { Connector, useMqttState, useSubscription } from 'mqtt-react-hooks';
import { countCommit, countRender, params, stats } from './stats.ts';

function Tile({ i, topic }: { i: number; topic: string }) {
  const { message } = useSubscription(topic);
  countRender(i);
  useLayoutEffect(countCommit);
  return <div className="tile">{typeof message?.message === 'string' ? message.message : '-'}</div>;
}

let current: MqttClient | null = null;

/** Counts what MQTT.js delivers (after the library's own listener, which it re-adds on connect). */
function Counter() {
  const { client, connectionStatus } = useMqttState();
  useEffect(() => {
    current = client;
    if (!client) return;
    const count = () => void stats.handled++;
    client.on('message', count);
    return () => void client.off('message', count);
  }, [client, connectionStatus]);
  return null;
}

/** MQTT.js internals, read only to know when every SUBSCRIBE has its SUBACK (kept only with reconnecting on). */
interface Internals {
  connected: boolean;
  _resubscribeTopics: Record<string, unknown>;
  messageIdToTopic: Record<string, unknown>;
}

export async function start(): Promise<void> {
  const { ws, tiles, prefix } = params();
  const topics = Array.from({ length: tiles }, (_, i) => `${prefix}/${i}`);
  createRoot(document.getElementById('tiles')!).render(
    <Connector brokerUrl={ws} options={{ protocolVersion: 5, keepalive: 60 }}>
      <Counter />
      {topics.map((topic, i) => (
        <Tile key={topic} i={i} topic={topic} />
      ))}
    </Connector>,
  );
  const ready = () => {
    const client = current as unknown as Internals | null;
    return (
      client !== null &&
      client.connected &&
      Object.keys(client._resubscribeTopics).length >= tiles &&
      Object.keys(client.messageIdToTopic).length === 0
    );
  };
  for (let frame = 0; frame < 1_200 && !ready(); frame++) await new Promise(requestAnimationFrame);
  if (!ready()) throw new Error('mqtt-react-hooks did not subscribe every tile within 1,200 frames');
}
