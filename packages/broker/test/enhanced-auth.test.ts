import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MqttClient, type AuthPacket, type ConnectPacket } from '@mqttkit/core';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AuthenticationMethod, EnhancedAuthRequest } from '../src/hooks.ts';
import { startBroker } from './support/brokers.ts';
import { memoryBroker } from './support/memory-broker.ts';
import { MemoryClient, str, text } from './support/memory-client.ts';

const SECRET = 'shared secret';
const METHOD = 'HMAC-TOKEN';
const hmac = (nonce: Uint8Array, secret = SECRET): Uint8Array => createHmac('sha256', secret).update(nonce).digest();

/** The README's challenge: the broker sends a nonce, the client answers HMAC(secret, nonce). */
function hmacToken(seen: EnhancedAuthRequest[] = []): AuthenticationMethod {
  return (request) => {
    seen.push(request);
    const nonce = randomBytes(16);
    let challenged = false;
    return (data) => {
      if (!challenged) {
        challenged = true;
        return { status: 'continue', data: nonce };
      }
      const expected = hmac(nonce);
      return data && data.length === expected.length && timingSafeEqual(data, expected) ? { status: 'success', data: text('welcome') } : { status: 'failure', reasonString: 'wrong answer' };
    };
  };
}

const connect5 = (extra: Partial<ConnectPacket> = {}): ConnectPacket => ({ type: 'connect', protocolVersion: 5, clientId: 'ea', clean: true, keepalive: 0, properties: { authenticationMethod: METHOD }, ...extra });
const answer = (challenge: AuthPacket, secret = SECRET, method = METHOD): AuthPacket => ({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: method, authenticationData: hmac(challenge.properties!.authenticationData!, secret) } });

/** CONNECT with the method, answer the challenge, and return the connected client with its CONNACK. */
async function authenticated(broker: ReturnType<typeof memoryBroker>, clientId = 'ea') {
  const client = new MemoryClient(broker, 5);
  client.send(connect5({ clientId }));
  const challenge = await client.next('auth');
  client.send(answer(challenge));
  return { client, connack: await client.next('connack') };
}

describe('5.0 enhanced authentication (AUTH)', () => {
  it('[MQTT-4.12.0-1] an authentication method the broker does not know gets CONNACK 0x8C and a close', async () => {
    const broker = memoryBroker({ hooks: { authenticationMethods: { [METHOD]: hmacToken() } } });
    const client = new MemoryClient(broker, 5);
    client.send(connect5({ properties: { authenticationMethod: 'SCRAM-SHA-1' } }));
    expect((await client.next('connack')).reasonCode).toBe(0x8c);
    await client.closed();
    const none = new MemoryClient(memoryBroker(), 5); // no methods configured at all
    none.send(connect5());
    expect((await none.next('connack')).reasonCode).toBe(0x8c);
  });

  it('[MQTT-4.12.0-2] [MQTT-4.12.0-5] challenge, answer, then CONNACK 0x00 with the method and the final data', async () => {
    const seen: EnhancedAuthRequest[] = [];
    const broker = memoryBroker({ hooks: { authenticationMethods: { [METHOD]: hmacToken(seen) } } });
    const client = new MemoryClient(broker, 5);
    client.send(connect5({ username: 'dev', password: text('ignored by the method'), properties: { authenticationMethod: METHOD, authenticationData: text('hello') } }));
    const challenge = await client.next('auth');
    expect(challenge.reasonCode).toBe(0x18);
    expect(challenge.properties?.authenticationMethod).toBe(METHOD);
    expect(challenge.properties?.authenticationData?.length).toBe(16);
    client.send(answer(challenge));
    const connack = await client.next('connack');
    expect(connack.reasonCode).toBe(0);
    expect(connack.properties?.authenticationMethod).toBe(METHOD);
    expect(str(connack.properties!.authenticationData!)).toBe('welcome');
    expect(seen).toMatchObject([{ method: METHOD, username: 'dev', reauthentication: false, clientId: 'ea' }]);
    // Connected for real: it can subscribe and receive.
    await client.subscribe('t', 0);
    broker.publish({ topic: 't', payload: 'after auth' });
    expect(str((await client.next('publish')).payload)).toBe('after auth');
  });

  it('[MQTT-4.12.0-4] a wrong answer gets CONNACK 0x87 (or the method\'s own code) and a close; no session is created', async () => {
    const broker = memoryBroker({ hooks: { authenticationMethods: { [METHOD]: hmacToken(), ONE: () => () => ({ status: 'failure', reasonCode: 0x86 }) } } });
    const client = new MemoryClient(broker, 5);
    client.send(connect5({ clientId: 'wrong', properties: { authenticationMethod: METHOD, sessionExpiryInterval: 60 } }));
    client.send(answer(await client.next('auth'), 'not the secret'));
    const connack = await client.next('connack');
    expect(connack.reasonCode).toBe(0x87);
    await client.closed();
    expect(broker.sessions.has('wrong')).toBe(false);
    const other = new MemoryClient(broker, 5);
    other.send(connect5({ properties: { authenticationMethod: 'ONE' } }));
    expect((await other.next('connack')).reasonCode).toBe(0x86);
  });

  it('[MQTT-3.1.2-30] a packet other than AUTH or DISCONNECT before CONNACK ends the exchange (CONNACK 0x82)', async () => {
    const broker = memoryBroker({ hooks: { authenticationMethods: { [METHOD]: hmacToken() } } });
    const client = new MemoryClient(broker, 5);
    client.send(connect5());
    await client.next('auth');
    client.send({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'x', qos: 0 }] });
    expect((await client.next('connack')).reasonCode).toBe(0x82);
    await client.closed();
  });

  it('[MQTT-4.12.0-5] an AUTH naming another method is a protocol error', async () => {
    const broker = memoryBroker({ hooks: { authenticationMethods: { [METHOD]: hmacToken() } } });
    const client = new MemoryClient(broker, 5);
    client.send(connect5());
    client.send(answer(await client.next('auth'), SECRET, 'OTHER'));
    expect((await client.next('connack')).reasonCode).toBe(0x82);
  });

  it('[MQTT-4.12.0-7] AUTH from a client that connected without a method: DISCONNECT 0x82', async () => {
    const { client } = await MemoryClient.connect(memoryBroker(), { protocolVersion: 5 });
    client.send({ type: 'auth', reasonCode: 0x19, properties: { authenticationMethod: METHOD } });
    expect((await client.next('disconnect')).reasonCode).toBe(0x82);
    await client.closed();
  });

  it('[MQTT-4.12.1-1] re-authentication (AUTH 0x19) while messages keep flowing, then AUTH 0x00', async () => {
    const seen: EnhancedAuthRequest[] = [];
    const broker = memoryBroker({ hooks: { authenticationMethods: { [METHOD]: hmacToken(seen) } } });
    const { client, connack } = await authenticated(broker);
    expect(connack.reasonCode).toBe(0);
    await client.subscribe('flow', 0);
    client.send({ type: 'auth', reasonCode: 0x19, properties: { authenticationMethod: METHOD } });
    const challenge = await client.next('auth');
    expect(challenge.reasonCode).toBe(0x18);
    broker.publish({ topic: 'flow', payload: 'during re-auth' });
    expect(str((await client.next('publish')).payload)).toBe('during re-auth');
    client.send(answer(challenge));
    const done = await client.next('auth');
    expect(done.reasonCode ?? 0).toBe(0);
    expect(done.properties?.authenticationMethod).toBe(METHOD);
    expect(seen.map((r) => r.reauthentication)).toEqual([false, true]);
  });

  it('[MQTT-4.12.1-2] a failed re-authentication gets DISCONNECT 0x87 and a close', async () => {
    const broker = memoryBroker({ hooks: { authenticationMethods: { [METHOD]: hmacToken() } } });
    const { client } = await authenticated(broker);
    client.send({ type: 'auth', reasonCode: 0x19, properties: { authenticationMethod: METHOD } });
    client.send(answer(await client.next('auth'), 'stolen token expired'));
    expect((await client.next('disconnect')).reasonCode).toBe(0x87);
    await client.closed();
  });

  it('[MQTT-4.12.1-1] re-authentication with another method is a protocol error (DISCONNECT 0x82)', async () => {
    const broker = memoryBroker({ hooks: { authenticationMethods: { [METHOD]: hmacToken(), OTHER: hmacToken() } } });
    const { client } = await authenticated(broker);
    client.send({ type: 'auth', reasonCode: 0x19, properties: { authenticationMethod: 'OTHER' } });
    expect((await client.next('disconnect')).reasonCode).toBe(0x82);
  });

  it('a method hook that throws refuses that client (CONNACK 0x88) and the broker keeps serving', async () => {
    const broker = memoryBroker({
      hooks: {
        authenticationMethods: {
          BROKEN: () => () => {
            throw new Error('backend down');
          },
          [METHOD]: hmacToken(),
        },
      },
    });
    const client = new MemoryClient(broker, 5);
    client.send(connect5({ properties: { authenticationMethod: 'BROKEN' } }));
    expect((await client.next('connack')).reasonCode).toBe(0x88);
    expect((await authenticated(broker, 'next')).connack.reasonCode).toBe(0);
  });
});

describe('enhanced authentication with real clients', () => {
  const clients: MqttClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  it('our own client answers the challenge through its authenticate callback (WebSocket)', async () => {
    const broker = await startBroker({ hooks: { authenticationMethods: { [METHOD]: hmacToken() } } });
    const challenges: string[] = [];
    const client = new MqttClient({
      url: broker.wsUrl,
      WebSocket: WebSocket as never,
      reconnect: false,
      protocolVersion: 5,
      authenticationMethod: METHOD,
      authenticate: async ({ method, data }) => {
        challenges.push(method);
        return hmac(data!);
      },
    });
    clients.push(client);
    await client.connect();
    expect(challenges).toEqual([METHOD]);
    const got = new Promise<string>((resolve) => void client.subscribe('kit/auth', (message) => resolve(str(message.payload))).ready.then(() => client.publish('kit/auth', 'through')));
    expect(await got).toBe('through');

    const wrong = new MqttClient({ url: broker.wsUrl, WebSocket: WebSocket as never, reconnect: false, protocolVersion: 5, authenticationMethod: METHOD, authenticate: async () => text('guess') });
    clients.push(wrong);
    await expect(wrong.connect()).rejects.toThrow();
  });

  it('MQTT.js 5 answers the challenge through handleAuth (TCP)', async () => {
    const broker = await startBroker({ hooks: { authenticationMethods: { [METHOD]: hmacToken() } } });
    const client = mqtt.connect(broker.tcpUrl, { protocolVersion: 5, reconnectPeriod: 0, properties: { authenticationMethod: METHOD } });
    client.handleAuth = (packet, callback) => {
      const nonce = packet.properties!.authenticationData!;
      callback(undefined, { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: METHOD, authenticationData: Buffer.from(hmac(nonce)) } });
    };
    try {
      const connack = await new Promise<mqtt.IConnackPacket>((resolve, reject) => {
        client.once('connect', resolve);
        client.once('error', reject);
      });
      expect(connack.properties?.authenticationMethod).toBe(METHOD);
      await client.subscribeAsync('js/auth', { qos: 1 });
      const got = new Promise<string>((resolve) => client.once('message', (_topic, payload) => resolve(payload.toString())));
      await client.publishAsync('js/auth', 'mqtt.js', { qos: 1 });
      expect(await got).toBe('mqtt.js');
    } finally {
      await client.endAsync(true);
    }
  });
});
