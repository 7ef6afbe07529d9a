/**
 * A server that closes the connection after CONNECT without any CONNACK (RabbitMQ over WebSocket on bad
 * credentials, RabbitMQ 3.x on a 5.0 CONNECT): a refusal the application sees after three in a row, not an endless
 * reconnect loop. Against a real RabbitMQ: test/interop/suite/refusal.ts.
 */
import { describe, expect, it } from 'vitest';
import { MqttError } from '../../src/errors.ts';
import { settle } from './fakes.ts';
import { harness, type Harness } from './harness.ts';

/** Lets the backoff elapse, opens the next connection (the client sends CONNECT) and closes it without a CONNACK. */
async function closeAfterConnect(h: Harness): Promise<void> {
  h.clock.advance(60_000);
  await settle();
  const connection = h.network.last;
  connection.open();
  expect(connection.ofType('connect')).toHaveLength(1);
  connection.drop();
}

describe('a server that closes after CONNECT without a CONNACK', () => {
  it('ends connect() after three such closes in a row with an error saying so; nothing stays scheduled', async () => {
    const h = harness({ protocolVersion: 4, username: 'guest', password: 'wrong' });
    const outcome = h.client.connect().then(() => 'connected', (error: unknown) => error);
    for (let i = 0; i < 3; i++) await closeAfterConnect(h);
    const error = await outcome;
    expect(error).toBeInstanceOf(MqttError);
    expect((error as MqttError).message).toMatch(/3 times in a row after CONNECT without a CONNACK/);
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'idle', error });
    expect(h.network.connections).toHaveLength(3);
    expect(h.clock.pending).toEqual([]);
  });

  it('keeps trying with retryOnRefusal', async () => {
    const h = harness({ protocolVersion: 4, retryOnRefusal: true });
    void h.client.connect();
    for (let i = 0; i < 4; i++) await closeAfterConnect(h);
    expect(h.client.state.getSnapshot().status).toBe('reconnecting');
  });

  it('counts only closes in a row: a CONNACK in between starts the count again', async () => {
    const h = harness({ protocolVersion: 4 });
    void h.client.connect();
    await closeAfterConnect(h);
    await closeAfterConnect(h);
    h.clock.advance(60_000);
    await settle();
    h.network.accept().drop();
    await closeAfterConnect(h);
    await closeAfterConnect(h);
    expect(h.client.state.getSnapshot().status).toBe('reconnecting');
  });

  it('does not count connections that never opened (a node that is down)', async () => {
    const h = harness({ protocolVersion: 4, url: undefined, servers: ['ws://a', 'ws://b'] } as never);
    void h.client.connect();
    for (let i = 0; i < 5; i++) {
      h.clock.advance(60_000);
      await settle();
      h.network.last.drop();
    }
    expect(h.client.state.getSnapshot().status).toBe('reconnecting');
    expect(h.network.connections.map((c) => c.options.url)).toEqual(['ws://a', 'ws://b', 'ws://a', 'ws://b', 'ws://a']);
  });
});
