import type { ConnackPacket, DisconnectPacket, Packet, ProtocolVersion, PublishPacket } from '../codec/packets.ts';
import { InvalidArgumentError, type MqttError, ProtocolError } from '../errors.ts';
import { systemClock } from './clock.ts';
import { capabilitiesOf, connectPacket, randomClientId } from './connect-packet.ts';
import {
  asMqttError,
  ClientClosedError,
  ConnectionLostError,
  ConnectionRefusedError,
  type ReasonExplainer,
  reasonNumber,
  serverSays,
  TimeoutError,
} from './errors.ts';
import type { ClientFeatures, ClientHost, ClientSession, Requester, ServerChoice, TopicAliasMap } from './features.ts';
import { KeepAlive } from './keepalive.ts';
import { PacketIds } from './packet-ids.ts';
import { connackReason } from './reasons.ts';
import { Reconnect } from './reconnect.ts';
import { createStore, type WritableStore } from './state-store.ts';
import { Subscriptions } from './subscriptions.ts';
import type { Transport, TransportEvents } from './transport.ts';
import type {
  ClientOptions,
  ClientState,
  Clock,
  CloseOptions,
  Credentials,
  Message,
  MessageHandler,
  MqttClientApi,
  PublishOptions,
  RequestOptions,
  ServerCapabilities,
  StateStore,
  SubscribeOptions,
  SubscriptionHandle,
} from './types.ts';
import { openWebSocket } from './websocket-transport.ts';
import { type ClientEncoders, CORE_ENCODERS } from './wire-codec.ts';

/** The state of a client that has not started connecting; also a placeholder snapshot for UIs without a client. */
export const initialClientState: ClientState = {
  status: 'idle',
  error: undefined,
  attempt: 0,
  nextRetryAt: undefined,
  queued: 0,
  server: undefined,
  sessionPresent: false,
  sessionLost: false,
  capabilities: undefined,
};

/**
 * The MQTT client without optional features: connecting, reconnect, keepalive, subscriptions and the state store,
 * wiring in whatever `ClientFeatures` it is given. `MqttClient` is this with every feature; `createClient` builds
 * one with only some.
 */
export class MqttClientCore implements MqttClientApi {
  readonly state: StateStore<ClientState>;
  readonly #state: WritableStore<ClientState>;
  readonly #options: ClientOptions;
  readonly #version: ProtocolVersion;
  readonly #clock: Clock;
  /** The one server, unless `failover` chooses among several. */
  readonly #server: string;
  readonly #failover: ServerChoice | undefined;
  readonly #features: ClientFeatures;
  /** What features see of this client. */
  readonly #host: ClientHost;
  readonly #explain: ReasonExplainer;
  readonly #session: ClientSession | undefined;
  /** The core's encoders plus what the features send. */
  readonly #encoders: ClientEncoders;
  readonly #request: Requester | undefined;
  readonly #subscriptions: Subscriptions;
  readonly #keepalive: KeepAlive;
  readonly #reconnect: Reconnect | undefined;
  #clientId: string;
  #transport: Transport | undefined;
  #aliases: TopicAliasMap | undefined;
  /** Connections in a row that the server closed after our CONNECT without any CONNACK. */
  #closedBeforeConnack = 0;
  /** When recent connections ended in DISCONNECT 0x8E (session taken over). */
  #takeovers: number[] = [];
  /** CONNACK accepted on the current transport. */
  #connected = false;
  /**
   * The current server's capabilities, known from CONNACK on: the work done before `connected` is announced in
   * `state` (re-subscribing, resending) already needs them.
   */
  #capabilities: ServerCapabilities | undefined;
  #running = false;
  /** close() was called: publish() is refused; a graceful close may still be waiting for acknowledgements. */
  #closed = false;
  /** close()'s promise, and what resolves it once the client is shut. */
  #closing: Promise<void> | undefined;
  #finishClose: (() => void) | undefined;
  #drainTimer: unknown;
  #everConnected = false;
  #lastClean = true;
  #connectTimer: unknown;
  #queuedUpdate = false;
  #connecting!: Promise<void>;
  #settleConnect: ((error?: MqttError) => void) | undefined;
  /**
   * The page became visible or the network came back: check the keepalive at once rather than when a throttled
   * timer fires; when offline (no connection, no attempt under way), try again without waiting out the backoff.
   */
  readonly #onWake = (event: { type: string }): void => {
    if (this.#connected) this.#keepalive.check();
    else if (event.type === 'online' && this.#running && this.#transport === undefined) void this.#attempt();
  };

  constructor(options: ClientOptions, features: ClientFeatures = {}) {
    this.#options = options;
    this.#features = features;
    this.#explain = features.reasonTexts ?? reasonNumber;
    this.#version = options.protocolVersion ?? 5;
    if (this.#version !== 4 && this.#version !== 5) throw new InvalidArgumentError('protocolVersion', 'must be 4 (MQTT 3.1.1) or 5 (MQTT 5.0)');
    this.#clock = options.clock ?? systemClock;
    const servers = options.servers ?? (options.url === undefined ? [] : [options.url]);
    if (servers.length === 0) throw new InvalidArgumentError('url', 'give the server URL, e.g. `ws://localhost:8080`');
    this.#server = servers[0] as string;
    this.#failover = features.failover?.(servers, options);
    if (this.#failover === undefined && (servers.length > 1 || options.followServerReference)) throw needs('servers', 'failover');
    if (options.authenticate !== undefined && features.enhancedAuth === undefined) throw needs('authenticate', 'enhancedAuth');
    if (options.properties?.topicAliasMaximum && features.topicAliases === undefined) {
      throw needs('properties.topicAliasMaximum', 'topicAliases');
    }
    // 5.0 servers assign an id when we send none; 3.1.1 ones may not (and never with clean: false [MQTT-3.1.3-7]),
    // so there an empty id gets one made up too.
    this.#clientId = options.clientId || (this.#version === 5 ? '' : randomClientId());
    this.#state = createStore(initialClientState);
    this.state = { getSnapshot: this.#state.getSnapshot, subscribe: this.#state.subscribe };
    const ids = new PacketIds();
    const host: ClientHost = (this.#host = {
      version: this.#version,
      options,
      clock: this.#clock,
      ids,
      explain: this.#explain,
      connected: () => this.#connected,
      capabilities: () => this.#capabilities,
      send: (packet) => this.#send(packet),
      abort: (error, tell) => this.#abort(error, tell),
      changed: () => {
        this.#updateQueued();
        // A graceful close finishes as soon as nothing is left to acknowledge.
        if (this.#closed && this.#pending() === 0) this.#shut();
      },
    });
    this.#session = features.session?.(host);
    this.#encoders = this.#session?.encoders === undefined ? CORE_ENCODERS : { ...CORE_ENCODERS, ...this.#session.encoders };
    this.#request = features.request?.(this, host);
    this.#subscriptions = new Subscriptions(host, options.messageCacheLimit, options.unsubscribeDelay);
    this.#keepalive = new KeepAlive(
      this.#clock,
      () => this.#send({ type: 'pingreq' }),
      () => this.#abort(new TimeoutError('The server did not answer PINGREQ in time: the connection is dead; reconnecting')),
      options.pingTimeout,
    );
    this.#reconnect = options.reconnect === false ? undefined : new Reconnect(this.#clock, options.reconnect);
    this.#newConnectPromise();
  }

  /** Starts connecting (idempotent); resolves on the first successful CONNACK, rejects on a final refusal. */
  connect(): Promise<void> {
    if (this.#closed) return Promise.reject(new ClientClosedError('connect()'));
    if (!this.#running) {
      this.#running = true;
      this.#closedBeforeConnack = 0;
      listen(true, this.#onWake);
      void this.#attempt();
    }
    return this.#connecting;
  }

  subscribe(filter: string, handler: MessageHandler, options?: SubscribeOptions): SubscriptionHandle {
    return this.#subscriptions.add(filter, handler, options);
  }

  /** Needs the `session` feature (every `MqttClient` has it). */
  publish(topic: string, payload: string | Uint8Array, options: PublishOptions = {}): Promise<void> {
    if (this.#closed) return Promise.reject(new ClientClosedError('publish()'));
    if (this.#session === undefined) return Promise.reject(needs('publish()', 'session'));
    return this.#session.publish(topic, payload, options);
  }

  /** Needs the `request` and `session` features (every `MqttClient` has them). */
  request(topic: string, payload: string | Uint8Array, options?: RequestOptions): Promise<Message> {
    return this.#request?.(topic, payload, options) ?? Promise.reject(needs('request()', 'request'));
  }

  /** Publishes queued or in flight. */
  #pending(): number {
    return this.#session?.count ?? 0;
  }

  /**
   * Stops the client for good. Gracefully by default: publish() is refused from now on, and the client waits, at
   * most `timeoutMs` (5,000) and only over the current connection, until every queued and in-flight publish is
   * acknowledged; then it sends DISCONNECT. `{ force: true }` (or `timeoutMs: 0`) disconnects at once; so does a
   * lost connection during the wait (it never reconnects). Resolves once closed; what is still pending then rejects
   * with `ClientClosedError`. A later `close({ force: true })` cuts a graceful close short.
   */
  close(options: CloseOptions = {}): Promise<void> {
    if (this.#closing === undefined) {
      this.#closed = true;
      this.#running = false;
      listen(false, this.#onWake);
      this.#reconnect?.cancel();
      this.#closing = new Promise<void>((resolve) => {
        this.#finishClose = resolve;
      });
      const timeout = options.timeoutMs ?? 5_000;
      if (this.#connected && this.#pending() > 0 && !options.force && timeout > 0) {
        this.#drainTimer = this.#clock.setTimeout(() => this.#shut(), timeout);
      } else {
        this.#shut();
      }
    } else if (options.force) {
      this.#shut();
    }
    return this.#closing;
  }

  /** Ends a close: DISCONNECT (when connected), reject what is left, status `closed`. Idempotent. */
  #shut(): void {
    const finish = this.#finishClose;
    if (finish === undefined) return;
    this.#finishClose = undefined;
    this.#clock.clearTimeout(this.#drainTimer);
    this.#keepalive.stop();
    this.#clock.clearTimeout(this.#connectTimer);
    const transport = this.#transport;
    this.#transport = undefined;
    if (transport !== undefined) {
      if (this.#connected) transport.send({ type: 'disconnect' });
      transport.close();
    }
    this.#connected = false;
    this.#session?.abandon(new ClientClosedError('The publish'));
    this.#subscriptions.closed(new ClientClosedError('The subscription'));
    this.#settleConnect?.(new ClientClosedError('connect()'));
    this.#state.set({ status: 'closed', nextRetryAt: undefined, queued: 0 });
    finish();
  }

  // ---- connection lifecycle -------------------------------------------------------------------------------------

  #newConnectPromise(): void {
    this.#connecting = new Promise<void>((resolve, reject) => {
      this.#settleConnect = (error) => {
        this.#settleConnect = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
    // The outcome is also in `state`; a caller that does not await connect() must not see an unhandled rejection.
    this.#connecting.catch(() => {});
  }

  async #attempt(): Promise<void> {
    this.#reconnect?.cancel();
    const url = this.#failover?.next() ?? this.#server;
    this.#state.set({ status: 'connecting', attempt: this.#state.getSnapshot().attempt + 1, nextRetryAt: undefined, server: url });
    let credentials: Credentials | undefined;
    try {
      await this.#session?.loaded;
      credentials = await this.#options.credentials?.();
    } catch (error) {
      this.#failed(asMqttError(error, 'Getting credentials failed'), false);
      return;
    }
    if (!this.#running || this.#transport !== undefined) return;
    let transport: Transport | undefined;
    let connectSent = false;
    const events: TransportEvents = {
      opened: () => {
        if (transport !== this.#transport) return;
        this.#lastClean = this.#cleanStart();
        try {
          this.#send(connectPacket(this.#options, this.#version, this.#clientId, this.#lastClean, credentials));
          connectSent = true;
        } catch (error) {
          // The options (or credentials) make a CONNECT that cannot be encoded: another attempt would fail the same way.
          this.#lost(transport, asMqttError(error, 'Sending CONNECT failed'), true);
          transport?.close();
        }
      },
      packet: (packet) => {
        if (transport !== this.#transport) return;
        this.#keepalive.received();
        this.#receive(packet);
      },
      wrote: () => this.#keepalive.sent(),
      closed: (error) => {
        const lost = error ?? new ConnectionLostError(`The connection to ${url} closed`);
        if (transport === undefined || transport !== this.#transport || !connectSent || this.#connected) return this.#lost(transport, lost);
        this.#silentlyRefused(transport, lost);
      },
    };
    try {
      transport = (this.#options.transport ?? openWebSocket)(
        {
          url,
          protocolVersion: this.#version,
          maximumPacketSize: this.#options.properties?.maximumPacketSize,
          WebSocket: this.#options.WebSocket,
          encoders: this.#encoders,
        },
        events,
      );
    } catch (error) {
      this.#failed(asMqttError(error, 'Opening the connection failed'), true);
      return;
    }
    this.#transport = transport;
    const timeout = this.#options.connectTimeout ?? 10_000;
    this.#connectTimer = this.#clock.setTimeout(
      () => this.#abort(new TimeoutError(`No CONNACK from ${url} within ${timeout} ms; is the server up and speaking MQTT over WebSocket?`)),
      timeout,
    );
  }

  /** 5.0 reconnects resume our own session when it outlives the connection; 3.1.1 uses `clean` as given. */
  #cleanStart(): boolean {
    const clean = this.#options.clean ?? true;
    if (this.#version === 5 && this.#everConnected && (this.#options.sessionExpiryInterval ?? 0) > 0) return false;
    return clean;
  }

  #receive(packet: Packet): void {
    if (!this.#connected) {
      if (packet.type === 'connack') return this.#connack(packet);
      if (packet.type === 'disconnect') return this.#disconnected(packet);
      if (packet.type !== 'auth') return this.#abort(new ProtocolError(`The server sent ${packet.type} before CONNACK`), true);
    }
    switch (packet.type) {
      case 'publish':
        return this.#incoming(packet);
      case 'puback':
      case 'pubrec':
      case 'pubrel':
      case 'pubcomp':
        if (this.#session === undefined) break;
        return this.#session.acknowledged(packet);
      case 'suback':
      case 'unsuback':
        this.#subscriptions.acknowledged(packet);
        return;
      case 'pingresp':
        return;
      case 'disconnect':
        return this.#disconnected(packet);
      case 'auth': {
        // 5.0 enhanced authentication, with the `enhancedAuth` feature; without it AUTH is unexpected.
        const { enhancedAuth } = this.#features;
        if (enhancedAuth === undefined) break;
        const transport = this.#transport;
        return void enhancedAuth(this.#host, packet, () => transport === this.#transport);
      }
    }
    this.#abort(new ProtocolError(`The server sent ${packet.type}, which this client did not ask for`), true);
  }

  #connack(connack: ConnackPacket): void {
    this.#clock.clearTimeout(this.#connectTimer);
    this.#closedBeforeConnack = 0;
    const transport = this.#transport as Transport;
    const properties = connack.properties ?? {};
    if (connack.reasonCode !== 0) {
      const reason = connackReason(connack.reasonCode, this.#version);
      this.#refer(reason, properties.serverReference);
      const error = new ConnectionRefusedError(
        reason,
        this.#version === 4 ? connack.reasonCode : undefined,
        properties.reasonString,
        this.#explain,
      );
      this.#transport = undefined;
      transport.close();
      this.#failed(error, error.final && !this.#options.retryOnRefusal);
      return;
    }
    // We asked for a clean start and hold no state to resume: a server claiming a session is broken [MQTT-3.2.2-4].
    if (connack.sessionPresent && this.#lastClean) return this.#abort(new ProtocolError('CONNACK claims a session present after a clean start'), true);
    if (properties.assignedClientIdentifier !== undefined) this.#clientId = properties.assignedClientIdentifier;
    const capabilities = capabilitiesOf(connack, this.#version);
    transport.maximumPacketSize = capabilities.maximumPacketSize;
    const { topicAliases } = this.#features;
    this.#aliases =
      this.#version === 5 && topicAliases !== undefined
        ? topicAliases(capabilities.topicAliasMaximum, this.#options.properties?.topicAliasMaximum ?? 0)
        : undefined;
    const sessionPresent = connack.sessionPresent;
    const sessionLost = this.#everConnected && !this.#lastClean && !sessionPresent;
    this.#connected = true;
    this.#capabilities = capabilities;
    this.#everConnected = true;
    this.#failover?.accepted();
    this.#reconnect?.connected();
    this.#keepalive.start(capabilities.serverKeepAlive ?? this.#options.keepalive ?? 60);
    this.#subscriptions.connected(sessionPresent);
    this.#session?.resume(capabilities, sessionPresent);
    // Announce only after the resend: a listener that publishes on `connected` must not be re-sent with it.
    this.#state.set({ status: 'connected', error: undefined, attempt: 0, nextRetryAt: undefined, sessionPresent, sessionLost, capabilities });
    this.#settleConnect?.();
  }

  #disconnected(packet: DisconnectPacket): void {
    const reason = packet.reasonCode ?? 0;
    this.#refer(reason, packet.properties?.serverReference);
    const error = new ConnectionLostError(`The server disconnected: ${this.#explain(reason)}${serverSays(packet.properties?.reasonString)}`, reason);
    // 0x8E: the session was taken over. Once can be a cluster's hiccup (ejabberd sends it to a client failing over
    // to a node that still lists its old connection); again and again is another client with our id, and taking the
    // session back disconnects it in turn, for ever. Stop then, unless the user asked to retry refusals.
    this.#abort(error, false, reason === 0x8e && this.#takenOverRepeatedly() && !this.#options.retryOnRefusal);
  }

  #takenOverRepeatedly(): boolean {
    const now = this.#clock.now();
    this.#takeovers = this.#takeovers.filter((at) => now - at < TAKEOVER_WINDOW_MS);
    return this.#takeovers.push(now) >= TAKEOVERS_BEFORE_STOP;
  }

  #refer(reason: number, reference: string | undefined): void {
    this.#failover?.refer(reason, reference, this.#state.getSnapshot().server ?? '');
  }

  /** Ends the current connection because of `error` (5.0: telling the server why when `tell`). */
  #abort(error: MqttError, tell = false, final = false): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    if (tell && this.#version === 5) {
      try {
        transport.send({ type: 'disconnect', reasonCode: error.reasonCode ?? 0x80 });
      } catch {
        // The connection is going anyway.
      }
    }
    this.#lost(transport, error, final);
    transport.close();
  }

  /**
   * The server closed the connection after our CONNECT without a CONNACK. Some brokers refuse that way (RabbitMQ
   * over WebSocket on bad credentials; RabbitMQ 3.x on a 5.0 CONNECT): after a few in a row the client stops and
   * says so instead of retrying for ever, unless `retryOnRefusal` is set.
   */
  #silentlyRefused(transport: Transport, error: MqttError): void {
    this.#closedBeforeConnack++;
    if (this.#closedBeforeConnack < SILENT_REFUSAL_LIMIT || this.#options.retryOnRefusal) {
      this.#lost(transport, error);
      return;
    }
    const refusal = new ConnectionLostError(
      `The server closed the connection ${this.#closedBeforeConnack} times in a row after CONNECT without a CONNACK, a refusal ` +
        'without a reason: check the credentials and protocolVersion (RabbitMQ refuses a bad password, and before 3.13 ' +
        `MQTT 5.0, this way), or set retryOnRefusal to keep trying. Last: ${error.message}`,
    );
    this.#lost(transport, refusal, true);
  }

  /** The transport ended (any reason): stop what depends on it, then retry or stop (when `final`). */
  #lost(transport: Transport | undefined, error: MqttError, final = false): void {
    if (transport === undefined || transport !== this.#transport) return;
    this.#transport = undefined;
    this.#clock.clearTimeout(this.#connectTimer);
    this.#keepalive.stop();
    this.#connected = false;
    this.#aliases = undefined;
    this.#subscriptions.disconnected();
    this.#reconnect?.disconnected();
    // A graceful close never reconnects: what is left cannot be acknowledged now.
    if (this.#closed) this.#shut();
    else this.#failed(error, final);
  }

  /** An attempt or connection failed: schedule the next attempt, or stop when `final` or reconnect is off. */
  #failed(error: MqttError, final: boolean): void {
    if (!this.#running) return;
    if (this.#failover?.failed(final)) {
      this.#state.set({ error });
      void this.#attempt();
      return;
    }
    if (final || this.#reconnect === undefined) {
      this.#running = false;
      listen(false, this.#onWake);
      this.#state.set({ status: 'idle', error, nextRetryAt: undefined });
      this.#settleConnect?.(error);
      // A later connect() starts over with a fresh promise.
      this.#newConnectPromise();
      return;
    }
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    if (offline) {
      this.#state.set({ status: 'offline', error, nextRetryAt: undefined });
      return;
    }
    const nextRetryAt = this.#reconnect.schedule(() => void this.#attempt(), !this.#failover?.nextInRound());
    this.#state.set({ status: 'reconnecting', error, nextRetryAt });
  }

  // ---- inbound -------------------------------------------------------------------------------------------------

  #incoming(packet: PublishPacket): void {
    let topic = packet.topic;
    try {
      if (this.#aliases !== undefined) topic = this.#aliases.incoming(packet);
      // Without the feature our Topic Alias Maximum is 0: any alias is out of range [MQTT-3.1.2-27].
      else if (packet.properties?.topicAlias !== undefined) throw new ProtocolError('The server sent a topic alias; this client allows none', 0x94);
    } catch (error) {
      this.#abort(error as MqttError, true);
      return;
    }
    const message: Message = { topic, payload: packet.payload, qos: packet.qos, retain: packet.retain };
    if (packet.properties !== undefined) message.properties = packet.properties;
    const packetId = packet.packetId as number;
    if (packet.qos === 2) {
      const session = this.#session;
      if (session === undefined) {
        this.#abort(new ProtocolError('The server sent a QoS 2 message; receiving QoS 2 needs the session feature'), true);
        return;
      }
      if (session.firstDelivery(packetId)) this.#subscriptions.dispatch(message);
      this.#send({ type: 'pubrec', packetId });
      return;
    }
    this.#subscriptions.dispatch(message);
    if (packet.qos === 1) this.#send({ type: 'puback', packetId });
  }

  #send(packet: Packet): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    if (packet.type === 'publish' && this.#aliases !== undefined) this.#aliases.outgoing(packet, transport);
    else transport.send(packet);
  }

  /** Publishes the queued count once per tick, not once per publish and acknowledgement. */
  #updateQueued(): void {
    if (this.#queuedUpdate) return;
    this.#queuedUpdate = true;
    queueMicrotask(() => {
      this.#queuedUpdate = false;
      if (this.#finishClose !== undefined || !this.#closed) this.#state.set({ queued: this.#pending() });
    });
  }
}

/** Closes after CONNECT without a CONNACK, in a row, that end reconnecting (a silent refusal). */
const SILENT_REFUSAL_LIMIT = 3;
/** Session takeovers (DISCONNECT 0x8E) within the window that end reconnecting: two clients share one id. */
const TAKEOVERS_BEFORE_STOP = 3;
const TAKEOVER_WINDOW_MS = 120_000;

/** The error for an option or method used without the feature it needs. */
function needs(field: string, feature: keyof ClientFeatures): InvalidArgumentError {
  return new InvalidArgumentError(field, `needs the ${feature} feature: createClient(options, { ${feature} })`);
}

/**
 * Adds or removes a listener of `online` and `visibilitychange` (which bubbles from the document to the window)
 * where the platform has events (browsers, workers).
 */
function listen(add: boolean, listener: (event: { type: string }) => void): void {
  const target = globalThis as Partial<Pick<EventTarget, 'addEventListener' | 'removeEventListener'>>;
  for (const type of ['online', 'visibilitychange']) target[add ? 'addEventListener' : 'removeEventListener']?.(type, listener);
}
