/** Publish/subscribe through a broker: QoS 0/1/2 round trips, retained messages, topic names as given. */
import { afterEach, describe, expect, it } from 'vitest';
import type { QoS } from '../../../packages/core/src/codec/packets.ts';
import { Clients, collect, text, uniqueTopic, until } from '../support/clients.ts';
import type { BrokerTarget } from '../support/target.ts';

export function describeDelivery(target: BrokerTarget): void {
  describe(`${target.name}, MQTT level ${target.version}: delivery`, () => {
    const clients = new Clients({ protocolVersion: target.version, ...target.credentials });
    afterEach(() => clients.closeAll());
    const expectedQoS = (qos: QoS): QoS => Math.min(qos, target.quirks.maximumQoS) as QoS;

    it.each([
      ['MQTT-4.3.1-1', 0],
      ['MQTT-4.3.2-1', 1],
      ['MQTT-4.3.3-1', 2],
    ] as const)('[%s] a QoS %i publish round-trips to a subscriber at that QoS', async (_id, qos) => {
      const topic = uniqueTopic(`qos${qos}`);
      const { client: subscriber } = await clients.connected({ url: target.url() });
      const { messages, granted } = await collect(subscriber, `${topic}/#`, { qos });
      // Quirk (RabbitMQ): QoS 2 is granted as 1 and delivered as 1.
      expect(granted).toBe(expectedQoS(qos));
      const { client: publisher } = await clients.connected({ url: target.url() });
      // Quirk (RabbitMQ): a QoS 2 PUBLISH is answered with PUBACK, which completes it too.
      await publisher.publish(`${topic}/a`, `hello ${qos}`, { qos });
      await until(() => messages.length === 1, 'the message');
      expect(messages[0]).toMatchObject({ topic: `${topic}/a`, qos: expectedQoS(qos), retain: false });
      expect(text(messages[0]!)).toBe(`hello ${qos}`);
      expect(publisher.state.getSnapshot().queued).toBe(0);
    });

    it('[MQTT-3.3.1-6] a retained message reaches a later subscriber with the retain flag; an empty one clears it [MQTT-3.3.1-10]', async () => {
      const topic = uniqueTopic('retained');
      const { client: publisher } = await clients.connected({ url: target.url() });
      await publisher.publish(topic, 'kept', { qos: 1, retain: true });
      const { client: late } = await clients.connected({ url: target.url() });
      const { messages } = await collect(late, topic, { qos: 1 });
      await until(() => messages.length === 1, 'the retained message');
      expect(messages[0]).toMatchObject({ topic, retain: true });
      expect(text(messages[0]!)).toBe('kept');

      await publisher.publish(topic, '', { qos: 1, retain: true });
      // A fence on another topic: once it arrived, a retained message on `topic` would have come first.
      const { client: later } = await clients.connected({ url: target.url() });
      const cleared = await collect(later, topic, { qos: 1 });
      const fence = await collect(later, `${topic}-fence`, { qos: 1 });
      await publisher.publish(`${topic}-fence`, 'fence', { qos: 1 });
      await until(() => fence.messages.length === 1, 'the fence');
      expect(cleared.messages).toEqual([]);
    });

    it('a topic with a dot in a level arrives as the broker delivers it', async () => {
      const topic = uniqueTopic('dots');
      const { client: subscriber } = await clients.connected({ url: target.url() });
      const { messages } = await collect(subscriber, `${topic}/#`, { qos: 1 });
      const { client: publisher } = await clients.connected({ url: target.url() });
      await publisher.publish(`${topic}/a.b/c`, 'dotted', { qos: 1 });
      await until(() => messages.length === 1, 'the message');
      // Quirk (RabbitMQ): topics become AMQP routing keys, where `.` separates words: `a.b` arrives as `a/b`.
      expect(messages[0]?.topic).toBe(target.quirks.dotBecomesSlash ? `${topic}/a/b/c` : `${topic}/a.b/c`);
    });

    if (target.version === 5) it('level 5: the CONNACK tells whether shared subscriptions are available', async () => {
      const { client } = await clients.connected({ url: target.url() });
      // Quirk (ejabberd): no shared subscriptions.
      expect(client.state.getSnapshot().capabilities?.sharedSubscriptionAvailable).toBe(target.quirks.sharedSubscriptions);
      expect(client.state.getSnapshot().server).toBe(target.url());
    });
  });
}
