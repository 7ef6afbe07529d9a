/**
 * A page driving @mqttkit/core's MqttClient with the browser's own WebSocket and an IndexedDB message store.
 * Playwright calls the functions on `window.clientPage`; everything they observe is recorded there.
 */
import { MqttClient, type ClientState, type QoS } from '@mqttkit/core';
import { workerClock } from '@mqttkit/core/worker-clock';
import { IndexedDbMessageStore } from '@mqttkit/core/indexeddb';
import { messageStoreContract } from '../../../packages/core/test/client/message-store-contract.ts';

export interface Received {
  /** Which subscription's handler got it. */
  filter: string;
  topic: string;
  payload: string;
  qos: QoS;
}

export interface ClientPage {
  /** Connects a persistent client (IndexedDB store named `store`); resolves on CONNACK, or at once when `wait` is false. */
  start(options: { url: string; clientId: string; protocolVersion: 4 | 5; store: string; wait: boolean; keepalive?: number }): Promise<void>;
  subscribe(filter: string, qos: QoS): Promise<QoS>;
  /** Resolves when the publish completes (written, PUBACK or PUBCOMP); `false` leaves it pending (offline). */
  publish(topic: string, payload: string, qos: QoS, wait: boolean): Promise<void>;
  /** The messages in the IndexedDB store right now. */
  stored(store: string): Promise<{ topic: string; payload: string; packetId: number | undefined }[]>;
  /** Runs the shared MessageStore contract against IndexedDB; returns the failures. */
  storeContract(): Promise<string[]>;
  /**
   * Sets three `workerClock()` timers (60, 20 and 40 ms; the 40 cleared) and a 90 ms one to finish: the order
   * they fired in, and how many page `setTimeout` calls were made meanwhile (0 when the worker ran them).
   */
  workerTimers(): Promise<{ fired: string[]; pageTimers: number }>;
  received: Received[];
  statuses: ClientState['status'][];
  /** Each distinct `state.error` message, in order: why a connection ended. */
  errors: string[];
  nodeGlobals: { buffer: boolean; process: boolean };
}

declare global {
  interface Window {
    clientPage: ClientPage;
  }
}

let client: MqttClient | undefined;
const decoder = new TextDecoder();

const page: ClientPage = {
  received: [],
  statuses: [],
  errors: [],
  nodeGlobals: { buffer: 'Buffer' in globalThis, process: 'process' in globalThis },

  async start({ url, clientId, protocolVersion, store, wait, keepalive }) {
    client = new MqttClient({
      url,
      clientId,
      protocolVersion,
      clean: false,
      sessionExpiryInterval: 600,
      store: new IndexedDbMessageStore({ name: store }),
      reconnect: { minDelay: 50, maxDelay: 500 },
      ...(keepalive === undefined ? {} : { keepalive }),
    });
    client.state.subscribe(() => {
      const snapshot = client?.state.getSnapshot();
      if (snapshot === undefined) return;
      if (page.statuses.at(-1) !== snapshot.status) page.statuses.push(snapshot.status);
      const error = snapshot.error?.message;
      if (error !== undefined && page.errors.at(-1) !== error) page.errors.push(error);
    });
    const connected = client.connect();
    if (wait) await connected;
  },

  subscribe(filter, qos) {
    if (client === undefined) throw new Error('start() first');
    const handle = client.subscribe(filter, (m) => page.received.push({ filter, topic: m.topic, payload: decoder.decode(m.payload), qos: m.qos }), { qos });
    return handle.ready;
  },

  async publish(topic, payload, qos, wait) {
    if (client === undefined) throw new Error('start() first');
    const done = client.publish(topic, payload, { qos });
    if (wait) await done;
    else done.catch(() => {});
  },

  async stored(name) {
    const store = new IndexedDbMessageStore({ name });
    const messages = await store.load();
    await store.close();
    return messages.map((m) => ({ topic: m.topic, payload: decoder.decode(m.payload), packetId: m.packetId }));
  },

  workerTimers() {
    const original = window.setTimeout;
    let pageTimers = 0;
    window.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      pageTimers++;
      return original(...args);
    }) as typeof setTimeout;
    const clock = workerClock();
    const fired: string[] = [];
    return new Promise((resolve) => {
      clock.setTimeout(() => fired.push('60'), 60);
      clock.setTimeout(() => fired.push('20'), 20);
      clock.clearTimeout(clock.setTimeout(() => fired.push('40'), 40));
      clock.setTimeout(() => {
        window.setTimeout = original;
        resolve({ fired, pageTimers });
      }, 90);
    });
  },

  async storeContract() {
    const failures: string[] = [];
    const store = new IndexedDbMessageStore({ name: 'contract' });
    for (const contract of messageStoreContract) {
      try {
        await contract.run(store);
      } catch (error) {
        failures.push(`${contract.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await store.close();
    return failures;
  },
};

window.clientPage = page;
document.getElementById('status')!.textContent = 'ready';
