/**
 * Test doubles for adapter behaviour: a tiny in-memory client implementing `MqttClientApi` (no protocol), manual
 * animation frames. Real-client tests use core's MqttClient with a fake WebSocket instead.
 */
import { createStore, initialClientState, matches, validateTopicFilter } from '@mqttkit/core';
import type {
  ClientState,
  Message,
  MessageHandler,
  MqttClientApi,
  PublishOptions,
  SubscriptionHandle,
} from '@mqttkit/core';
import type { FrameScheduler } from '../src/index.ts';

const encoder = new TextEncoder();


/** What a publish call looks like to the test, with its promise's controls. */
export interface RecordedPublish {
  topic: string;
  payload: string | Uint8Array;
  options: PublishOptions | undefined;
  resolve(): void;
  reject(error: Error): void;
}

/** Ref-counts handlers per filter like the real client; `subscribed`/`unsubscribed` stand for SUBSCRIBE/UNSUBSCRIBE. */
export class FakeClient implements MqttClientApi {
  readonly subscribed: string[] = [];
  readonly unsubscribed: string[] = [];
  readonly published: RecordedPublish[] = [];
  subscribeCalls = 0;
  connectCalls = 0;
  closeCalls = 0;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly retained = new Map<string, Message>();
  private readonly store = createStore<ClientState>(initialClientState);
  readonly state = this.store;

  setState(patch: Partial<ClientState>): void {
    this.store.set(patch);
  }

  connect(): Promise<void> {
    this.connectCalls++;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closeCalls++;
    return Promise.resolve();
  }

  subscribe(filter: string, handler: MessageHandler): SubscriptionHandle {
    validateTopicFilter(filter);
    this.subscribeCalls++;
    let set = this.handlers.get(filter);
    if (!set) {
      this.handlers.set(filter, (set = new Set()));
      this.subscribed.push(filter);
    }
    const wrapped: MessageHandler = (message) => handler(message);
    set.add(wrapped);
    for (const message of this.retained.values()) if (matches(filter, message.topic)) wrapped(message);
    const owned = set;
    const handle = (() => {
      if (owned.delete(wrapped) && owned.size === 0) {
        this.handlers.delete(filter);
        this.unsubscribed.push(filter);
      }
    }) as SubscriptionHandle;
    Object.defineProperty(handle, 'ready', { value: Promise.resolve(0) });
    return handle;
  }

  /** Delivers a message from "the broker" to every matching handler. */
  emit(topic: string, payload: string, options: { retain?: boolean } = {}): Message {
    const message: Message = { topic, payload: encoder.encode(payload), qos: 0, retain: options.retain ?? false };
    if (message.retain) this.retained.set(topic, message);
    for (const [filter, set] of this.handlers) if (matches(filter, topic)) set.forEach((handler) => handler(message));
    return message;
  }

  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<void> {
    return new Promise((resolve, reject) => this.published.push({ topic, payload, options, resolve, reject }));
  }

  request(): Promise<Message> {
    return Promise.reject(new Error('not used'));
  }
}

/** Animation frames the test runs by hand: `flush()` is one frame. */
export class ManualFrames {
  private pending: (() => void)[] = [];
  readonly schedule: FrameScheduler = (flush) => void this.pending.push(flush);
  get scheduled(): number {
    return this.pending.length;
  }
  flush(): void {
    const run = this.pending;
    this.pending = [];
    run.forEach((flush) => flush());
  }
}

/** Timers that fire only when the test says so. */
