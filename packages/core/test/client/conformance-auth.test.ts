/** Conformance of 5.0 enhanced authentication as the client side of the AUTH exchange. */
import { describe, expect, it } from 'vitest';
import type { ClientOptions } from '../../src/client/types.ts';
import { settle } from './fakes.ts';
import { harness } from './harness.ts';

const encoder = new TextEncoder();

/** A client with `options`, its CONNECT written, and how often authenticate() was called. */
async function opened(options: Partial<ClientOptions>) {
  const calls: string[] = [];
  const h = harness({
    authenticate: async ({ method }) => {
      calls.push(method);
      return encoder.encode('answer');
    },
    ...options,
  });
  void h.client.connect();
  await settle();
  const connection = h.network.last;
  connection.open();
  connection.take();
  return { h, connection, calls };
}

describe('AUTH challenges', () => {
  it('[MQTT-4.12.0-7] without an Authentication Method in CONNECT the client sends no AUTH: a challenge is a protocol error', async () => {
    const { h, connection, calls } = await opened({});
    connection.deliver({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1' } });
    await settle();
    expect(calls).toEqual([]);
    expect(connection.ofType('auth')).toHaveLength(0);
    expect(connection.closed).toBe(true);
    expect(h.client.state.getSnapshot().error?.code).toBe('PROTOCOL_ERROR');
  });

  it('[MQTT-4.12.0-5] a challenge naming another Authentication Method than CONNECT is a protocol error, not answered', async () => {
    const { h, connection, calls } = await opened({ authenticationMethod: 'SCRAM-SHA-256' });
    connection.deliver({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1' } });
    await settle();
    expect(calls).toEqual([]);
    expect(connection.ofType('auth')).toHaveLength(0);
    expect(connection.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x82 }]);
  });

  it('[MQTT-4.12.0-3] each answer is an AUTH with reason 0x18 and the method of CONNECT', async () => {
    const { connection, calls } = await opened({ authenticationMethod: 'SCRAM-SHA-1' });
    for (let round = 0; round < 2; round++) {
      connection.deliver({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1' } });
      await settle();
    }
    expect(calls).toEqual(['SCRAM-SHA-1', 'SCRAM-SHA-1']);
    expect(connection.ofType('auth').map((p) => [p.reasonCode, p.properties?.authenticationMethod])).toEqual([
      [0x18, 'SCRAM-SHA-1'],
      [0x18, 'SCRAM-SHA-1'],
    ]);
  });

  it('[MQTT-3.1.2-30] while authenticating before CONNACK the client sends nothing but AUTH, even with publishes and subscriptions waiting', async () => {
    const { h, connection } = await opened({ authenticationMethod: 'SCRAM-SHA-1' });
    h.client.subscribe('s', () => {});
    void h.client.publish('t', 'x', { qos: 1 });
    connection.deliver({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1' } });
    await settle();
    expect(connection.sent.map((p) => p.type)).toEqual(['auth']);
  });
});
