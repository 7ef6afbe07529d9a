/**
 * A 5.0 server reference against a real broker (ours: mosquitto and ejabberd never send one). Two of our brokers on
 * free loopback ports; the first refuses every CONNECT with 0x9D (server moved) or 0x9C (use another server) and
 * the second one's `host:port` as Server Reference. With `followServerReference: true` the client ends up
 * connected to the second (same scheme and path); without it, the refusal surfaces as a typed error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker, type MqttBroker } from '../../packages/broker/src/index.ts';
import type { AuthenticateResult } from '../../packages/broker/src/hooks.ts';
import { createLogger } from '../../packages/broker/src/log.ts';
import { ConnectionRefusedError } from '../../packages/core/src/client/errors.ts';
import { Clients, collect, text, uniqueTopic, until } from './support/clients.ts';

const brokers: MqttBroker[] = [];
const clients = new Clients({ protocolVersion: 5 });
afterEach(async () => {
  await clients.closeAll();
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});

/** The target broker, and a first one that redirects every CONNECT there with `reasonCode`. */
async function redirecting(reasonCode: 0x9c | 0x9d): Promise<{ first: string; second: string; refused: () => number }> {
  const second = await createBroker({ port: false, wsPort: 0, sysInterval: 0, logger: createLogger('silent') });
  brokers.push(second);
  let refused = 0;
  const first = await createBroker({
    port: false,
    wsPort: 0,
    sysInterval: 0,
    logger: createLogger('silent'),
    hooks: {
      authenticate: () => {
        refused++;
        return { reasonCode, reasonString: 'this node is drained', serverReference: `127.0.0.1:${second.ports.ws}` };
      },
    },
  });
  brokers.push(first);
  return { first: `ws://127.0.0.1:${first.ports.ws}/mqtt`, second: `ws://127.0.0.1:${second.ports.ws}/mqtt`, refused: () => refused };
}

describe('5.0 server reference (CONNACK 0x9C/0x9D) from our broker', () => {
  for (const reasonCode of [0x9d, 0x9c] as const) {
    it(`0x${reasonCode.toString(16)} with followServerReference: the client connects to the referenced server and works there`, async () => {
      const { first, second, refused } = await redirecting(reasonCode);
      const { client } = clients.create({ url: first, followServerReference: true });
      await client.connect();
      expect(refused()).toBe(1);
      expect(client.state.getSnapshot()).toMatchObject({ status: 'connected', server: second });
      // The connection is a working one: a round trip through the second broker.
      const topic = uniqueTopic('redirect');
      const got = await collect(client, `${topic}/#`, { qos: 1 });
      await client.publish(`${topic}/x`, 'here', { qos: 1 });
      await until(() => got.messages.length === 1, 'the message through the second broker');
      expect(got.messages.map(text)).toEqual(['here']);
    });
  }

  it('without followServerReference (reconnect off): connect() rejects with a ConnectionRefusedError naming the option', async () => {
    const { first, refused } = await redirecting(0x9d);
    const { client } = clients.create({ url: first, reconnect: false });
    const error = await client.connect().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect(error).toMatchObject({ code: 'CONNECTION_REFUSED', reasonCode: 0x9d });
    expect((error as Error).message).toMatch(/followServerReference/);
    expect(refused()).toBe(1);
    expect(client.state.getSnapshot()).toMatchObject({ status: 'idle', server: first });
  });

  it('followServerReference is honoured with reconnect off too: connect() resolves on the referenced server', async () => {
    const { first, second, refused } = await redirecting(0x9d);
    const { client } = clients.create({ url: first, followServerReference: true, reconnect: false });
    await client.connect();
    expect(refused()).toBe(1);
    expect(client.state.getSnapshot()).toMatchObject({ status: 'connected', server: second });
  });

  it('two servers referring to each other: the client follows 5 references, then connect() rejects (reconnect off)', async () => {
    let refusals = 0;
    const wsPorts: number[] = [];
    // Each refers the client to the other one.
    const refer = (): AuthenticateResult => {
      refusals++;
      return { reasonCode: 0x9c, serverReference: `127.0.0.1:${wsPorts[refusals % 2]}` };
    };
    const [a, b] = await Promise.all([0, 1].map(() => createBroker({ port: false, wsPort: 0, sysInterval: 0, logger: createLogger('silent'), hooks: { authenticate: refer } })));
    brokers.push(a!, b!);
    wsPorts.push(a!.ports.ws!, b!.ports.ws!);
    const { client } = clients.create({ url: `ws://127.0.0.1:${a!.ports.ws}/mqtt`, followServerReference: true, reconnect: false });
    const error = await client.connect().then(() => undefined, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CONNECTION_REFUSED', reasonCode: 0x9c });
    expect(refusals).toBe(6);
  });

  it('3.1.1 has no server reference: the same refusal reaches a 3.1.1 client as return code 3 (server unavailable)', async () => {
    const { first } = await redirecting(0x9d);
    const { client } = clients.create({ url: first, protocolVersion: 4, followServerReference: true, reconnect: false });
    const error = await client.connect().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect(error).toMatchObject({ returnCode: 3, reasonCode: 0x88 });
    expect(client.state.getSnapshot().server).toBe(first);
  });

  it('without followServerReference (reconnect on): the refusal shows in state.error and the client never moves', async () => {
    const { first, refused } = await redirecting(0x9d);
    const { client } = clients.create({ url: first });
    void client.connect();
    await until(() => refused() >= 3, 'three refused attempts');
    const state = client.state.getSnapshot();
    expect(state.error).toBeInstanceOf(ConnectionRefusedError);
    expect(state.error?.reasonCode).toBe(0x9d);
    expect(state.server).toBe(first);
  });
});
