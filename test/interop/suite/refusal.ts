/** Bad credentials: a refusal the application sees, and no endless reconnect loop. */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionRefusedError } from '../../../packages/core/src/client/index.ts';
import { MqttError } from '../../../packages/core/src/errors.ts';
import { Clients, until } from '../support/clients.ts';
import type { BrokerTarget } from '../support/target.ts';

export function describeRefusal(target: BrokerTarget): void {
  describe(`${target.name}, MQTT level ${target.version}: refusal`, () => {
    const clients = new Clients({ protocolVersion: target.version });
    afterEach(() => clients.closeAll());

    it('[MQTT-3.2.2-5] a wrong password rejects connect() and stops reconnecting', async () => {
      const { client, sockets } = clients.create({ url: target.url(), ...target.wrongCredentials });
      const outcome = client.connect().then(() => 'connected', (reason: unknown) => reason);
      // Bounded: a client looping forever must fail here with what it did, not with the test's timeout.
      await until(() => client.state.getSnapshot().status === 'idle' || client.state.getSnapshot().status === 'connected',
        `connect() to settle (status ${client.state.getSnapshot().status}, ${sockets.length} sockets opened so far)`, 10_000)
        .catch((error: Error) => {
          throw new Error(`${error.message}; after 10 s: status ${client.state.getSnapshot().status}, ${sockets.length} sockets opened`);
        });
      const error = await outcome;
      expect(error).toBeInstanceOf(MqttError);
      expect(client.state.getSnapshot()).toMatchObject({ status: 'idle', error });
      if (target.quirks.refusesWithoutConnack) {
        // Quirk (RabbitMQ Web-MQTT): the socket is closed without a CONNACK; the client cannot know the reason, so
        // it gives up after a few attempts that all end that way and says so.
        expect((error as MqttError).message).toMatch(/CONNACK/);
        expect(sockets.length).toBeLessThanOrEqual(3);
      } else {
        expect(error).toBeInstanceOf(ConnectionRefusedError);
        expect([0x86, 0x87]).toContain((error as ConnectionRefusedError).reasonCode);
        expect(sockets).toHaveLength(1);
      }
    });
  });
}
