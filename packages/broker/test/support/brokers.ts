import { afterEach } from 'vitest';
import { createBroker, type BrokerOptions, type MqttBroker } from '../../src/create-broker.ts';
import { createLogger } from '../../src/log.ts';

const running: MqttBroker[] = [];

/** A broker on free loopback ports (TCP and WebSocket), closed after each test. */
export async function startBroker(options: BrokerOptions = {}): Promise<MqttBroker & { tcpUrl: string; wsUrl: string }> {
  const broker = await createBroker({ port: 0, wsPort: 0, logger: createLogger('silent'), sysInterval: 0, ...options });
  running.push(broker);
  return Object.assign(broker, { tcpUrl: `mqtt://127.0.0.1:${broker.ports.tcp}`, wsUrl: `ws://127.0.0.1:${broker.ports.ws}/mqtt` });
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((broker) => broker.close()));
});
