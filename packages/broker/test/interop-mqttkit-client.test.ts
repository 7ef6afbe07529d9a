import { MqttClient, type Message } from '@mqttkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBroker } from './support/brokers.ts';

const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(url: string, options: Partial<ConstructorParameters<typeof MqttClient>[0]> = {}): MqttClient {
  const c = new MqttClient({ url, WebSocket: WebSocket as never, reconnect: false, ...options });
  clients.push(c);
  return c;
}

function next(received: Message[], count: number): Promise<Message[]> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 3000;
    const check = () => (received.length >= count ? resolve(received.slice(0, count)) : Date.now() > deadline ? reject(new Error(`got ${received.length} of ${count}`)) : setTimeout(check, 5));
    check();
  });
}

describe('our own client (@mqttkit/core) against our broker over WebSocket', () => {
  for (const protocolVersion of [4, 5] as const) {
    it(`QoS 0, 1 and 2 and retained at level ${protocolVersion}`, async () => {
      const broker = await startBroker();
      const publisher = client(broker.wsUrl, { protocolVersion });
      await publisher.connect();
      await publisher.publish('kit/retained', 'kept', { qos: 1, retain: true });
      const subscriber = client(broker.wsUrl, { protocolVersion });
      await subscriber.connect();
      const received: Message[] = [];
      const handle = subscriber.subscribe('kit/#', (message) => received.push(message), { qos: 2 });
      expect(await handle.ready).toBe(2);
      for (const qos of [0, 1, 2] as const) await publisher.publish(`kit/${qos}`, `q${qos}`, { qos });
      const got = await next(received, 4);
      expect(got.map((m) => [m.topic, new TextDecoder().decode(m.payload), m.qos])).toEqual([
        ['kit/retained', 'kept', 1],
        ['kit/0', 'q0', 0],
        ['kit/1', 'q1', 1],
        ['kit/2', 'q2', 2],
      ]);
      expect(got[0]!.retain).toBe(true);
    });
  }

  it('5.0 request/response through the broker (response topic and correlation data pass through)', async () => {
    const broker = await startBroker();
    const responder = client(broker.wsUrl);
    await responder.connect();
    const subscribed = responder.subscribe('rpc/echo', (message) => {
      void responder.publish(message.properties!.responseTopic!, `echo:${new TextDecoder().decode(message.payload)}`, { properties: { correlationData: message.properties!.correlationData! } });
    });
    await subscribed.ready;
    const requester = client(broker.wsUrl);
    await requester.connect();
    const reply = await requester.request('rpc/echo', 'ping', { timeout: 3000 });
    expect(new TextDecoder().decode(reply.payload)).toBe('echo:ping');
  });
});
