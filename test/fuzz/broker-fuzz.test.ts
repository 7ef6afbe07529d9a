/**
 * A slice of the broker fuzz for every test run: random and mutated byte streams over real TCP against our
 * broker, each answer checked against the prediction, a well-behaved pair alongside. Long run: `npm run fuzz`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroker, type MqttBroker } from '../../packages/broker/src/index.ts';
import { createLogger } from '../../packages/broker/src/log.ts';
import { seedFromEnv } from '../support/random.ts';
import { RawMqtt } from '../support/raw-mqtt.ts';
import { brokerFuzzReport, fuzzBroker } from './broker-fuzz.ts';

const SEED = seedFromEnv();
const CONNECTIONS = 200;

describe(`broker fuzz slice over TCP (SEED=${SEED})`, () => {
  let broker: MqttBroker;
  const errors: string[] = [];

  beforeAll(async () => {
    broker = await createBroker({ port: 0, sysInterval: 0, logger: createLogger('error', (line) => void errors.push(line)) });
  });
  afterAll(() => broker.close());

  it(`${CONNECTIONS} hostile connections: each answered as predicted, the observer loses nothing, no unexpected error`, async () => {
    const stats = await fuzzBroker({ port: broker.ports.tcp!, seed: SEED, connections: CONNECTIONS, concurrency: 10, maxMs: 30_000 });
    const report = brokerFuzzReport(stats).join('\n');
    expect(stats.failures, report).toEqual([]);
    expect(stats.connections).toBe(CONNECTIONS);
    expect(stats.observer.published).toBeGreaterThan(0);
    expect(stats.observer).toMatchObject({ received: stats.observer.published, outOfOrder: 0, closed: false });
    expect(errors).toEqual([]);
    // Still up: a fresh client connects.
    const { client, connack } = await RawMqtt.connect(broker.ports.tcp!, { clientId: 'after-fuzz' });
    expect(connack.reasonCode).toBe(0);
    client.destroy();
  }, 60_000);
});
