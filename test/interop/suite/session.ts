/** A persistent session: what was published while the client was away is delivered when it comes back. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientOptions } from '../../../packages/core/src/client/types.ts';
import { Clients, text, uniqueTopic, until } from '../support/clients.ts';
import type { BrokerTarget } from '../support/target.ts';

export function describeSession(target: BrokerTarget): void {
  describe(`${target.name}, MQTT level ${target.version}: persistent session`, () => {
    const clients = new Clients({ protocolVersion: target.version, ...target.credentials });
    afterEach(() => clients.closeAll());
    const persistent = (clientId: string): ClientOptions => ({
      url: target.url(),
      clientId,
      clean: false,
      ...(target.version === 5 ? { sessionExpiryInterval: 300 } : {}),
    });

    it('[MQTT-3.1.2-5] QoS 1 messages published while the client was away are delivered on its return, in order', async () => {
      const topic = uniqueTopic('session');
      const clientId = `mk-session-${target.version}-${Math.random().toString(36).slice(2, 8)}`;
      const { client: first } = await clients.connected(persistent(clientId));
      await first.subscribe(`${topic}/#`, () => {}, { qos: 1 }).ready;
      await first.close();

      const { client: publisher } = await clients.connected({ url: target.url() });
      for (const n of [1, 2, 3]) await publisher.publish(`${topic}/${n}`, `m${n}`, { qos: 1 });

      const received: string[] = [];
      const { client: second } = clients.create(persistent(clientId));
      // Handlers are local: add one before connecting so nothing the server sends at once is missed.
      second.subscribe(`${topic}/#`, (message) => received.push(text(message)), { qos: 1 });
      await second.connect();
      // [MQTT-3.2.2-2] the server kept the session.
      expect(second.state.getSnapshot()).toMatchObject({ sessionPresent: true, sessionLost: false });
      await until(() => received.length >= 3, 'three queued messages');
      expect(received).toEqual(['m1', 'm2', 'm3']);
    });
  });
}
