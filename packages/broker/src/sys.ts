import type { Broker } from './broker.ts';
import type { BrokerMessage } from './message.ts';

/** The broker's version, as published on `$SYS/broker/version`. */
export const BROKER_VERSION = 'mqttkit-broker 0.1.0';

/**
 * Publishes `$SYS/broker/...` (mosquitto's names) as retained messages every `intervalSeconds`; kept in memory
 * only. `$SYS` topics are not matched by a leading `+` or `#` (MQTT-4.7.2-1), so only those who ask get them.
 */
export function startSysTopics(broker: Broker, intervalSeconds: number): () => void {
  const encoder = new TextEncoder();
  const publish = (topic: string, value: string | number): void => {
    const message: BrokerMessage = { topic: `$SYS/broker/${topic}`, payload: encoder.encode(String(value)), qos: 0, retain: true };
    broker.publishMessage(message, undefined, false);
  };
  const update = (): void => {
    const stats = broker.stats;
    publish('version', BROKER_VERSION);
    publish('uptime', `${Math.floor((Date.now() - stats.startedAt) / 1000)} seconds`);
    publish('clients/connected', broker.connectedCount);
    publish('clients/total', broker.sessions.size);
    publish('messages/received', stats.messagesReceived);
    publish('messages/sent', stats.messagesSent);
    publish('publish/messages/dropped', stats.messagesDropped);
    publish('bytes/received', stats.bytesReceived);
    publish('bytes/sent', stats.bytesSent);
    publish('retained messages/count', broker.retained.size);
    publish('subscriptions/count', broker.router.size);
  };
  update();
  const timer = setInterval(broker.guarded('$SYS update', update), intervalSeconds * 1000).unref();
  return () => clearInterval(timer);
}
