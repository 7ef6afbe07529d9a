/**
 * A few hundred QoS 1 and QoS 2 messages through the fault proxy, against mosquitto and our broker, at 3.1.1
 * and 5.0: nothing lost, no QoS 2 duplicate, first arrivals in order per topic, every publish promise resolved.
 * The 10,000-message version is `npm run soak`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroker, type MqttBroker } from '../../packages/broker/src/index.ts';
import { createLogger } from '../../packages/broker/src/log.ts';
import { SOME_FAULTS } from '../support/fault-proxy.ts';
import { startMosquitto, type Mosquitto } from '../support/mosquitto.ts';
import { seedFromEnv } from '../support/random.ts';
import { deliveryReport, runDeliveryUnderFaults } from './delivery-under-faults.ts';

const SEED = seedFromEnv();
const N = 150;

describe.each(['mosquitto', 'mqttkit'] as const)(`QoS 1/2 through a faulty network to %s (SEED=${SEED})`, (target) => {
  let mosquitto: Mosquitto | undefined;
  let broker: MqttBroker | undefined;
  let wsPort = 0;
  let wsPath = '/';
  beforeAll(async () => {
    if (target === 'mosquitto') {
      mosquitto = await startMosquitto({ persistence: true });
      wsPort = mosquitto.wsPort;
    } else {
      broker = await createBroker({ port: false, wsPort: 0, sysInterval: 0, logger: createLogger('silent') });
      wsPort = broker.ports.ws!;
      wsPath = '/mqtt';
    }
  });
  afterAll(async () => {
    await mosquitto?.stop();
    await broker?.close();
  });

  it.each([4, 5] as const)(`MQTT level %i: ${N} + ${N} messages, cuts mid-packet, stalls, splits: 0 lost, 0 QoS 2 duplicates, in order`, async (version) => {
    const result = await runDeliveryUnderFaults({ wsPort, wsPath, version, n: N, seed: SEED + version, faults: { ...SOME_FAULTS, drop: 0.6, dropAfter: [1, 6000] }, cutEvery: 30, timeoutMs: 45_000 });
    const report = deliveryReport(`${target} v${version}`, result);
    console.log(report);
    expect(result.faults.drops, report).toBeGreaterThanOrEqual(3);
    expect({ lost: result.lost, qos2Duplicates: result.duplicates.qos2, rejected: result.rejectedPublishes }, report).toEqual({
      lost: { qos1: 0, qos2: 0 },
      qos2Duplicates: 0,
      rejected: 0,
    });
    // Order is asserted through our broker only. Through mosquitto 2.0.11 a few first arrivals per run come out
    // of order (~15 per 20,000 in the soak) and that is mosquitto's doing: a packet trace of both WebSockets
    // (3 runs of 10,000 + 10,000 at 3.1.1) shows our publisher sent every topic's messages in order on every
    // connection (0 violations), while mosquitto sent later messages first on one subscriber connection, not as
    // DUP resends, with packet ids it had assigned in order (e.g. seq 376 as mid 753 before seq 356 as mid 713).
    // That breaks [MQTT-4.6.0-6] of 3.1.1 (a server sends PUBLISHes of one topic and QoS in the order it received
    // them from a client; 5.0 4.6 keeps the rule); mosquitto issue #2306 (send quota decremented for queued messages, fixed in
    // 2.0.13 as "various fixes around inflight quota management") is the likely cause.
    if (target === 'mqttkit') expect(result.outOfOrder, report).toEqual({ qos1: 0, qos2: 0 });
  }, 60_000);
});

// Regression for the 10,000 + 10,000 soak: a persistent subscriber slowed by faults fell 1,000 messages (the
// queue limit) behind its publisher and our broker dropped hundreds of messages it had already acknowledged. A
// 20-message queue makes the same overflow certain within 150 + 150; the broker must hold the publisher instead.
describe('QoS 1/2 through a faulty network to mqttkit with a 20-message session queue', () => {
  let broker: MqttBroker | undefined;
  beforeAll(async () => {
    broker = await createBroker({ port: false, wsPort: 0, sysInterval: 0, logger: createLogger('silent'), limits: { maxQueued: 20 } });
  });
  afterAll(async () => {
    await broker?.close();
  });

  it.each([4, 5] as const)(`[MQTT-4.5.0-1] MQTT level %i: a subscriber slower than its publisher loses nothing: ${N} + ${N}, 0 lost, in order`, async (version) => {
    const result = await runDeliveryUnderFaults({ wsPort: broker!.ports.ws!, wsPath: '/mqtt', version, n: N, seed: SEED + 10 + version, faults: { ...SOME_FAULTS, drop: 0.6, dropAfter: [1, 6000] }, cutEvery: 30, timeoutMs: 45_000 });
    const report = `${deliveryReport(`mqttkit (maxQueued 20) v${version}`, result)}\n  broker dropped ${broker!.stats.messagesDropped} so far`;
    console.log(report);
    expect({ lost: result.lost, qos2Duplicates: result.duplicates.qos2, rejected: result.rejectedPublishes, outOfOrder: result.outOfOrder }, report).toEqual({
      lost: { qos1: 0, qos2: 0 },
      qos2Duplicates: 0,
      rejected: 0,
      outOfOrder: { qos1: 0, qos2: 0 },
    });
  }, 60_000);
});
