import { afterEach } from 'vitest';
import { Broker, type BrokerCoreOptions } from '../../src/broker.ts';
import { createLogger } from '../../src/log.ts';

const brokers: Broker[] = [];

/** A transport-less broker for packet-level tests, closed after each test. */
export function memoryBroker(options: BrokerCoreOptions = {}): Broker {
  const broker = new Broker({ logger: createLogger('silent'), ...options });
  brokers.push(broker);
  return broker;
}

afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});
