/**
 * Against Debian mosquitto over WebSocket at 3.1.1 and 5.0: the will on a dropped socket, a persistent session
 * receiving what was queued while offline, a broker restart mid-stream (nothing lost, no QoS 2 duplicate), and a
 * wrong password ending in a typed error with no further attempts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConnectionRefusedError, MqttClient } from '../../src/client/index.ts';
import type { ClientOptions, Clock, Message } from '../../src/client/types.ts';
import { startMosquitto, type Mosquitto } from '../../../../test/support/mosquitto.ts';
import { text, trackedWebSocket, until } from './support.ts';

/** The real clock, counting timers still pending (to prove nothing is scheduled). */
function countingClock(): Clock & { pending: Set<unknown> } {
  const pending = new Set<unknown>();
  return {
    pending,
    now: () => Date.now(),
    setTimeout(callback, ms) {
      const handle = setTimeout(() => {
        pending.delete(handle);
        callback();
      }, ms);
      pending.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      pending.delete(handle);
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

const fast = { minDelay: 20, maxDelay: 200 };
const open: MqttClient[] = [];
function client(url: string, options: Omit<ClientOptions, 'url'>): MqttClient {
  const created = new MqttClient({ url, WebSocket, reconnect: fast, ...options });
  open.push(created);
  return created;
}
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
});

describe.each([4, 5] as const)('MQTT %s sessions through mosquitto', (version) => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto({ persistence: true });
  });
  afterAll(async () => {
    await broker.stop();
  });
  const persistent = (clientId: string): Omit<ClientOptions, 'url'> =>
    version === 4 ? { protocolVersion: 4, clientId, clean: false } : { protocolVersion: 5, clientId, clean: false, sessionExpiryInterval: 600 };

  it('[MQTT-3.1.2-8] publishes the will when the socket drops without DISCONNECT', async () => {
    const watcher = client(broker.wsUrl, { protocolVersion: version });
    await watcher.connect();
    const wills: Message[] = [];
    await watcher.subscribe(`will${version}/#`, (m) => wills.push(m), { qos: 1 }).ready;
    const { made, Tracked } = trackedWebSocket();
    const dying = client(broker.wsUrl, {
      protocolVersion: version,
      WebSocket: Tracked,
      reconnect: false,
      will: { topic: `will${version}/device`, payload: 'gone', qos: 1 },
    });
    await dying.connect();
    (made[0] as WebSocket).terminate();
    await until(() => wills.length === 1, 'the will message');
    expect(text(wills[0] as Message)).toBe('gone');
    await dying.close();
  });

  it('[MQTT-3.1.2-5] a persistent session receives the QoS 1/2 messages published while it was offline', async () => {
    const id = `offline-${version}`;
    const first = client(broker.wsUrl, persistent(id));
    await first.connect();
    await first.subscribe(`queued${version}/#`, () => {}, { qos: 2 }).ready;
    await first.close();

    const publisher = client(broker.wsUrl, { protocolVersion: version });
    await publisher.connect();
    for (let i = 0; i < 10; i++) await publisher.publish(`queued${version}/${i}`, `${i}`, { qos: ((i % 2) + 1) as 1 | 2 });

    const got: string[] = [];
    const second = client(broker.wsUrl, persistent(id));
    // Handlers are local: add one before connecting so nothing the server sends at once is missed.
    second.subscribe(`queued${version}/#`, (m) => got.push(text(m)), { qos: 2 });
    await second.connect();
    expect(second.state.getSnapshot().sessionPresent).toBe(true);
    await until(() => got.length === 10, 'ten queued messages');
    expect(got).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('[MQTT-4.4.0-1] a broker restart mid-stream loses no QoS 1/2 message and duplicates no QoS 2 one', async () => {
    const total = 300;
    const received = new Map<string, number>();
    const subscriber = client(broker.wsUrl, persistent(`restart-sub-${version}`));
    subscriber.subscribe(`stream${version}/+`, (m) => received.set(text(m), (received.get(text(m)) ?? 0) + 1), { qos: 2 });
    await subscriber.connect();
    const publisher = client(broker.wsUrl, persistent(`restart-pub-${version}`));
    await publisher.connect();
    const results: Promise<void>[] = [];
    let restarted: Promise<void> | undefined;
    for (let i = 0; i < total; i++) {
      results.push(publisher.publish(`stream${version}/${i % 2 === 0 ? 'q1' : 'q2'}`, `${i}`, { qos: i % 2 === 0 ? 1 : 2 }));
      if (i === total / 3) {
        // Mid-stream, with publishes still in flight: mosquitto saves its state on SIGTERM and restarts.
        await until(() => received.size > 20, 'the stream to flow');
        restarted = broker.kill('SIGTERM').then(() => broker.restart());
      }
      if (i % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await restarted;
    await Promise.all(results);
    await until(() => received.size === total, `all ${total} messages`, 15_000).catch((error: unknown) => {
      const missing = Array.from({ length: total }, (_, i) => `${i}`).filter((p) => !received.has(p));
      throw new Error(`${String(error)}; missing ${missing.join(',')}`);
    });
    const duplicatedQos2 = [...received].filter(([payload, count]) => Number(payload) % 2 === 1 && count > 1);
    expect(duplicatedQos2).toEqual([]);
    expect(publisher.state.getSnapshot().queued).toBe(0);
  });
});

describe.each([4, 5] as const)('MQTT %s refusals from mosquitto', (version) => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto({ passwords: { alice: 'right' } });
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('[MQTT-3.2.2-5] a wrong password rejects connect() with ConnectionRefusedError and stops reconnecting', async () => {
    const clock = countingClock();
    const { made, Tracked } = trackedWebSocket();
    const refused = client(broker.wsUrl, { protocolVersion: version, username: 'alice', password: 'wrong', clock, WebSocket: Tracked });
    const error = await refused.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect([0x86, 0x87]).toContain((error as ConnectionRefusedError).reasonCode);
    expect((error as ConnectionRefusedError).final).toBe(true);
    expect(refused.state.getSnapshot()).toMatchObject({ status: 'idle', error });
    // Nothing is scheduled: no reconnect timer, no keepalive, no connect timeout.
    expect(clock.pending.size).toBe(0);
    expect(made).toHaveLength(1);

    const accepted = client(broker.wsUrl, { protocolVersion: version, username: 'alice', password: 'right' });
    await accepted.connect();
    expect(accepted.state.getSnapshot().status).toBe('connected');
  });
});
