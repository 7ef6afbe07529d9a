/**
 * One simulated device on the network: its own MQTT client, a will that marks it offline, retained state, commands
 * on `/set`. The model decides behaviour; this class only moves state and commands over MQTT.
 */
import type { ClientOptions, Message, MqttClientApi } from '@mqttkit/core';
import { COMMAND_QOS, MODELS, TICK_MS, type DeviceKind, type DeviceSpec, type DeviceStates } from '../src/devices/home.ts';
import type { DeviceEvent, DeviceModel, TickEnv } from '../src/devices/types.ts';

/** Builds the client for a device; the simulator passes one that uses `ws` and can be cut abruptly. */
export type ClientFactory = (options: ClientOptions) => { client: MqttClientApi; cut(): void };

export interface DeviceRuntime {
  url: string;
  createClient: ClientFactory;
  clientIdPrefix: string;
  random(): number;
  now(): number;
  /** Watts drawn by all other devices (for the power meter). */
  houseLoad(): number;
  log(line: string): void;
}

const decoder = new TextDecoder();

export class SimulatedDevice<K extends DeviceKind = DeviceKind> {
  state: DeviceStates[K];
  private readonly model: DeviceModel<DeviceStates[K]>;
  private connection: { client: MqttClientApi; cut(): void; stopWatching(): void } | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastPublished = '';

  constructor(
    readonly spec: DeviceSpec<K>,
    private readonly runtime: DeviceRuntime,
  ) {
    this.model = MODELS[spec.kind] as DeviceModel<DeviceStates[K]>;
    this.state = this.model.initial();
  }

  /** True while the device has a client (connected or trying to). */
  get running(): boolean {
    return this.connection !== undefined;
  }

  get power(): number {
    return this.model.power(this.state);
  }

  /** Connects and starts ticking; resolves on the first CONNACK. */
  start(): Promise<void> {
    if (this.connection) return this.connection.client.connect();
    const { topics } = this.spec;
    const { client, cut } = this.runtime.createClient({
      url: this.runtime.url,
      clientId: `${this.runtime.clientIdPrefix}-${this.spec.room}-${this.spec.device}`,
      // A persistent session: commands sent while the device or the broker was away are delivered when it is back.
      clean: false,
      sessionExpiryInterval: 3600,
      keepalive: 10,
      will: { topic: topics.availability, payload: 'offline', qos: 1, retain: true },
      reconnect: { minDelay: 250, maxDelay: 2000 },
    });
    const stopWatching = watchConnected(client, () => this.announce());
    this.connection = { client, cut, stopWatching };
    client.subscribe(topics.set, (message) => this.onCommand(message), { qos: COMMAND_QOS[this.spec.kind] });
    this.timer = setInterval(() => this.tick(TICK_MS[this.spec.kind]), TICK_MS[this.spec.kind]);
    return client.connect();
  }

  /** Drops the connection without DISCONNECT, as a power cut would: the broker publishes the will. */
  kill(): void {
    const connection = this.detach();
    if (!connection) return;
    connection.cut();
    void connection.client.close().catch(() => undefined);
    this.runtime.log(`${this.spec.id}: killed (will: offline)`);
  }

  /** Says goodbye properly: marks itself offline, then disconnects. */
  async stop(): Promise<void> {
    const connection = this.detach();
    if (!connection) return;
    const { client } = connection;
    if (client.state.getSnapshot().status === 'connected') {
      await client.publish(this.spec.topics.availability, 'offline', { qos: 1, retain: true }).catch(() => undefined);
    }
    await client.close().catch(() => undefined);
  }

  /** Advances the model by `ms` and publishes what changed. Public so tests can drive time. */
  tick(ms: number): void {
    const env: TickEnv = { now: this.runtime.now(), random: this.runtime.random, houseLoad: this.runtime.houseLoad() };
    const outcome = this.model.tick(this.state, ms, env);
    this.state = outcome.state;
    this.publishState();
    this.publishEvents(outcome.events);
  }

  private detach() {
    const connection = this.connection;
    if (!connection) return undefined;
    this.connection = undefined;
    clearInterval(this.timer);
    connection.stopWatching();
    return connection;
  }

  private get client(): MqttClientApi | undefined {
    const client = this.connection?.client;
    return client && client.state.getSnapshot().status === 'connected' ? client : undefined;
  }

  /** On every (re)connect: online, and the current state, both retained (the broker may have lost them). */
  private announce(): void {
    const client = this.client;
    if (!client) return;
    this.lastPublished = '';
    void client.publish(this.spec.topics.availability, 'online', { qos: 1, retain: true }).catch(() => undefined);
    this.publishState();
  }

  private onCommand(message: Message): void {
    let input: unknown;
    try {
      input = JSON.parse(decoder.decode(message.payload));
    } catch {
      this.publishEvents([{ type: 'rejected', reason: 'command is not JSON' }]);
      return;
    }
    const outcome = this.model.command(this.state, input);
    if (!outcome.ok) {
      this.runtime.log(`${this.spec.id}: refused ${decoder.decode(message.payload)}: ${outcome.error}`);
      this.publishEvents([{ type: 'rejected', reason: outcome.error }]);
      // Republish so a dashboard waiting for confirmation sees the unchanged state at once.
      this.lastPublished = '';
      this.publishState();
      return;
    }
    this.state = outcome.state;
    // Always republish: a repeated command is confirmed by the same state.
    this.lastPublished = '';
    this.publishState();
    this.publishEvents(outcome.events);
  }

  /** Publishes only while connected, and only on change: the broker's retained copy is the device's truth. */
  private publishState(): void {
    const client = this.client;
    if (!client) return;
    const json = JSON.stringify(this.state);
    if (json === this.lastPublished) return;
    this.lastPublished = json;
    void client.publish(this.spec.topics.state, json, { qos: 1, retain: true }).catch(() => undefined);
  }

  private publishEvents(events: DeviceEvent[]): void {
    const client = this.client;
    if (!client) return;
    for (const event of events) {
      void client.publish(this.spec.topics.events, JSON.stringify({ ...event, at: this.runtime.now() }), { qos: 1 }).catch(() => undefined);
    }
  }
}

/** Calls `onConnected` each time the client's status becomes `connected`. */
function watchConnected(client: MqttClientApi, onConnected: () => void): () => void {
  let previous = client.state.getSnapshot().status;
  return client.state.subscribe(() => {
    const status = client.state.getSnapshot().status;
    const was = previous;
    // Update first: onConnected publishes, which changes the state (queued count) and re-enters this listener.
    previous = status;
    if (status === 'connected' && was !== 'connected') onConnected();
  });
}
