/**
 * Network cuts through mosquitto (WebSocket, persistent sessions): both clients' sockets are cut again and again
 * while 2,000 QoS 1/2 messages flow. Nothing is lost, no QoS 2 message is delivered twice, every publish promise
 * resolves (none rejected). (That no more than the Receive Maximum is ever in flight is checked in session.test.ts;
 * mosquitto would refuse the excess at 5.0 and drop it at 3.1.1, which this test would catch as a loss.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttClient } from '../../src/client/index.ts';
import type { ClientOptions } from '../../src/client/types.ts';
import { startMosquitto, type Mosquitto } from '../../../../test/support/mosquitto.ts';
import { text, trackedWebSocket, until } from './support.ts';

describe.each([4, 5] as const)('MQTT %s under repeated network cuts', (version) => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('[MQTT-4.4.0-1] loses nothing, duplicates no QoS 2 message, settles every promise', async () => {
    const total = 2_000;
    const cuts = 10;
    const options = (clientId: string, WebSocket: typeof import('ws').default): ClientOptions => ({
      url: broker.wsUrl,
      WebSocket,
      protocolVersion: version,
      clientId,
      clean: false,
      ...(version === 5 ? { sessionExpiryInterval: 600 } : {}),
      reconnect: { minDelay: 10, maxDelay: 100 },
    });
    const subSockets = trackedWebSocket();
    const pubSockets = trackedWebSocket();
    const received = new Map<number, number>();
    const subscriber = new MqttClient(options(`cuts-sub-${version}`, subSockets.Tracked));
    subscriber.subscribe(`cuts${version}/+`, (m) => received.set(Number(text(m)), (received.get(Number(text(m))) ?? 0) + 1), { qos: 2 });
    await subscriber.connect();
    const publisher = new MqttClient(options(`cuts-pub-${version}`, pubSockets.Tracked));
    await publisher.connect();

    const outcomes: Promise<'ok' | string>[] = [];
    let cutsDone = 0;
    try {
      for (let i = 0; i < total; i++) {
        const qos = i % 2 === 0 ? 1 : 2;
        outcomes.push(publisher.publish(`cuts${version}/q${qos}`, `${i}`, { qos }).then(() => 'ok', (error: unknown) => String(error)));
        if (i > 0 && i % (total / cuts) === 0) {
          // Cut the subscriber's and the publisher's current sockets without a close handshake.
          await until(() => received.size > i / 2, 'some of the stream to arrive');
          // Each cut must hit a socket made after the previous cut: a client still in backoff has nothing to cut.
          await until(
            () => pubSockets.made.length > cutsDone && subSockets.made.length > cutsDone,
            'both clients to reconnect after the previous cut',
          );
          subSockets.made.at(-1)?.terminate();
          pubSockets.made.at(-1)?.terminate();
          cutsDone++;
        }
        if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      const settled = await Promise.all(outcomes);
      expect(settled.filter((outcome) => outcome !== 'ok')).toEqual([]);
      await until(() => received.size === total, `all ${total} messages`, 20_000);
      const duplicatedQos2 = [...received].filter(([i, count]) => i % 2 === 1 && count > 1);
      expect(duplicatedQos2).toEqual([]);
      // Every cut was followed by a new connection of each client.
      expect(cutsDone).toBe(cuts - 1);
      expect(pubSockets.made.length).toBeGreaterThan(cutsDone);
      expect(subSockets.made.length).toBeGreaterThan(cutsDone);
    } finally {
      await Promise.all([subscriber.close(), publisher.close()]);
    }
  }, 60_000);
});
