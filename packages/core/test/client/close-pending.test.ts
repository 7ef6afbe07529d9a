/**
 * close() settles every promise the client handed out: a publish still waiting for its acknowledgement and a
 * subscription still waiting for its SUBACK (e.g. a server that closes the connection at every SUBSCRIBE, as
 * RabbitMQ does for a persistent session whose home node is down) both reject with ClientClosedError.
 */
import { describe, expect, it } from 'vitest';
import { ClientClosedError } from '../../src/client/errors.ts';
import { settle } from './fakes.ts';
import { connected, harness } from './harness.ts';

describe('close() with acknowledgements outstanding', () => {
  it('rejects a subscription that never got its SUBACK and a QoS 1 publish that never got its PUBACK', async () => {
    const h = harness({ protocolVersion: 4 } as never);
    await connected(h);
    const subscription = h.client.subscribe('a/#', () => {}, { qos: 1 });
    const publish = h.client.publish('a/b', 'x', { qos: 1 });
    // Observed before the clock moves: close()'s bounded wait rejects them while advance() runs.
    const subscriptionRejected = expect(subscription.ready).rejects.toBeInstanceOf(ClientClosedError);
    const publishRejected = expect(publish).rejects.toBeInstanceOf(ClientClosedError);
    const closing = h.client.close();
    h.clock.advance(60_000);
    await closing;
    await settle();
    await subscriptionRejected;
    await publishRejected;
  });

  it('leaves an acknowledged subscription resolved', async () => {
    const h = harness({ protocolVersion: 4 } as never);
    const connection = await connected(h);
    const subscription = h.client.subscribe('a/#', () => {}, { qos: 1 });
    const [subscribe] = connection.ofType('subscribe');
    connection.deliver({ type: 'suback', packetId: subscribe!.packetId, reasonCodes: [1] });
    expect(await subscription.ready).toBe(1);
    await h.client.close();
    await expect(subscription.ready).resolves.toBe(1);
  });
});
