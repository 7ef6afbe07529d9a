/** The will message: published when the connection drops, not after a clean disconnect (RabbitMQ over WS differs). */
import { afterEach, describe, expect, it } from 'vitest';
import { Clients, collect, text, uniqueTopic, until } from '../support/clients.ts';
import type { BrokerTarget } from '../support/target.ts';

export function describeWill(target: BrokerTarget): void {
  describe(`${target.name}, MQTT level ${target.version}: will`, () => {
    const clients = new Clients({ protocolVersion: target.version, ...target.credentials });
    afterEach(() => clients.closeAll());

    /** A watcher on `topic`, and a client with a will on it that does not reconnect. */
    async function willSetup(label: string) {
      const topic = uniqueTopic(label);
      const { client: watcher } = await clients.connected({ url: target.url() });
      const wills = await collect(watcher, topic, { qos: 1 });
      const dying = await clients.connected({ url: target.url(), reconnect: false, will: { topic, payload: 'gone', qos: 1 } });
      return { topic, watcher, wills: wills.messages, dying };
    }

    it('[MQTT-3.1.2-8] the will is published when the socket drops without DISCONNECT', async () => {
      const { wills, dying } = await willSetup('will-drop');
      dying.drop();
      await until(() => wills.length === 1, 'the will');
      expect(text(wills[0]!)).toBe('gone');
    });

    it('[MQTT-3.1.2-10] close() sends DISCONNECT, which discards the will', async () => {
      const { topic, watcher, wills, dying } = await willSetup('will-clean');
      await dying.client.close();
      if (target.quirks.willAfterCleanDisconnect) {
        // Quirk (RabbitMQ Web-MQTT, rabbitmq/rabbitmq-server#4061): the will goes out after a clean DISCONNECT too.
        await until(() => wills.length === 1, 'the will RabbitMQ sends anyway');
        expect(text(wills[0]!)).toBe('gone');
        return;
      }
      // A fence published after the close: a will, which the broker sends as it handles the close, would come first.
      const fence = await collect(watcher, `${topic}-fence`, { qos: 1 });
      const { client: other } = await clients.connected({ url: target.url() });
      await other.publish(`${topic}-fence`, 'fence', { qos: 1 });
      await until(() => fence.messages.length === 1, 'the fence');
      expect(wills).toEqual([]);
    });
  });
}
