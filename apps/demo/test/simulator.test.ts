/**
 * The simulator against the real broker and client: retained state and availability, commands, the lock's QoS 2
 * round trip, wills on kill, and commands queued in a killed device's persistent session.
 */
import { createBroker, type MqttBroker } from '@mqttkit/broker';
import { MqttClient, type Message, type WebSocketConstructor } from '@mqttkit/core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICES } from '../src/devices/home.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';

const ids = ['living/ceiling-light', 'hall/front-door-lock', 'kitchen/smartdishwasher', 'living/motion'];
const decoder = new TextDecoder();

/** Records every message under myhome/# and lets a test wait for one that satisfies a condition. */
class Observer {
  readonly messages: Message[] = [];
  private waiters = new Set<() => void>();

  constructor(readonly client: MqttClient) {
    client.subscribe('myhome/#', (message) => {
      this.messages.push(message);
      this.waiters.forEach((wake) => wake());
    }, { qos: 1 });
  }

  /** Resolves with the first message (already received or arriving later) on `topic` whose text passes `test`. */
  next(topic: string, test: (text: string) => boolean, timeoutMs = 5000, from = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.slice(from).find((message) => message.topic === topic && test(decoder.decode(message.payload)));
        if (!found) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(decoder.decode(found.payload));
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no message on ${topic} matching the condition within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }
}

let broker: MqttBroker;
let simulator: Simulator;
let observer: Observer;
let url: string;

beforeAll(async () => {
  broker = await createBroker({ port: false, wsPort: 0, sysInterval: 0 });
  url = `ws://127.0.0.1:${broker.ports.ws}/mqtt`;
  simulator = await startSimulator({ url, devices: DEVICES.filter((device) => ids.includes(device.id)), clientIdPrefix: 'unit' });
  const client = new MqttClient({ url, WebSocket: WebSocket as unknown as WebSocketConstructor, reconnect: false });
  await client.connect();
  observer = new Observer(client);
});

afterAll(async () => {
  await observer?.client.close();
  await simulator?.stop();
  await broker?.close();
});

const json = (test: (value: Record<string, unknown>) => boolean) => (text: string) => test(JSON.parse(text) as Record<string, unknown>);

describe('device simulator', () => {
  it('announces every device online and publishes its state, both retained', async () => {
    for (const id of ids) {
      await observer.next(`myhome/${id}/availability`, (text) => text === 'online');
      await observer.next(`myhome/${id}/state`, (text) => text.startsWith('{'));
    }
    const late = new MqttClient({ url, WebSocket: WebSocket as unknown as WebSocketConstructor, reconnect: false });
    await late.connect();
    const retained: Message[] = [];
    const handle = late.subscribe('myhome/kitchen/smartdishwasher/#', (message) => retained.push(message), { qos: 1 });
    await handle.ready;
    await expect.poll(() => retained.filter((message) => message.retain).map((message) => message.topic).sort()).toEqual([
      'myhome/kitchen/smartdishwasher/availability',
      'myhome/kitchen/smartdishwasher/state',
    ]);
    await late.close();
  });

  it('applies a light command and republishes the confirmed state', async () => {
    const from = observer.messages.length;
    await observer.client.publish('myhome/living/ceiling-light/set', '{"on":true,"brightness":40}', { qos: 1 });
    await observer.next('myhome/living/ceiling-light/state', json((state) => state.on === true && state.brightness === 40), 5000, from);
  });

  it('moves the lock on a QoS 2 command: "locking" first, "locked" once the bolt arrives, with an event', async () => {
    const from = observer.messages.length;
    await observer.client.publish('myhome/hall/front-door-lock/set', '{"action":"lock"}', { qos: 2 });
    await observer.next('myhome/hall/front-door-lock/state', json((state) => state.state === 'locking'), 5000, from);
    await observer.next('myhome/hall/front-door-lock/state', json((state) => state.state === 'locked'), 5000, from);
    await observer.next('myhome/hall/front-door-lock/events', json((event) => event.type === 'locked'), 5000, from);
  });

  it('refuses an invalid command with a reason on the events topic', async () => {
    const from = observer.messages.length;
    await observer.client.publish('myhome/kitchen/smartdishwasher/set', '{"action":"start","program":"turbo"}', { qos: 1 });
    const event = await observer.next('myhome/kitchen/smartdishwasher/events', json((value) => value.type === 'rejected'), 5000, from);
    expect(JSON.parse(event)).toMatchObject({ type: 'rejected', reason: expect.stringMatching(/program must be/) });
  });

  it('a killed device goes offline through its will; a command sent meanwhile is delivered after restart', async () => {
    const from = observer.messages.length;
    simulator.kill('living/ceiling-light');
    await observer.next('myhome/living/ceiling-light/availability', (text) => text === 'offline', 5000, from);
    expect(simulator.devices.get('living/ceiling-light')?.running).toBe(false);

    await observer.client.publish('myhome/living/ceiling-light/set', '{"on":false}', { qos: 1 });
    await simulator.restart('living/ceiling-light');
    await observer.next('myhome/living/ceiling-light/availability', (text) => text === 'online', 5000, from);
    await observer.next('myhome/living/ceiling-light/state', json((state) => state.on === false), 5000, from);
    // Exactly one "online" per (re)connect: the announcement is not duplicated.
    const onlines = observer.messages.slice(from).filter((message) => message.topic === 'myhome/living/ceiling-light/availability' && decoder.decode(message.payload) === 'online');
    expect(onlines).toHaveLength(1);
  });

  it('names unknown devices in its error', () => {
    expect(() => simulator.kill('attic/ghost')).toThrow(/no simulated device "attic\/ghost"/);
  });
});
