import { randomUUID } from 'node:crypto';
import type { WillMessage } from '@mqttkit/core';
import type { Broker } from './broker.ts';
import type { ClientInfo } from './hooks.ts';
import type { BrokerMessage } from './message.ts';
import type { Session } from './session.ts';
import type { SessionStore, StoredWill } from './store/types.ts';

/** Who owes a will: a connection (`Client`), or a connection that died with the broker, restored from the store. */
export interface WillOwner extends ClientInfo {
  readonly will?: WillMessage | undefined;
  /** False after a normal DISCONNECT: the will is discarded (MQTT-3.1.2-10). */
  readonly willOnClose?: boolean;
}

/** The store id of each owner's will (a late delete then never removes a newer connection's will). */
const willIds = new WeakMap<WillOwner, string>();

function storedWill(owner: WillOwner, willId: string, dueAt: number | undefined): StoredWill {
  const stored: StoredWill = { clientId: owner.clientId, willId, protocolVersion: owner.protocolVersion, will: owner.will! };
  if (owner.username !== undefined) stored.username = owner.username;
  if (dueAt !== undefined) stored.dueAt = dueAt;
  return stored;
}

/**
 * A connection took its session: the will it brings is stored before its CONNACK goes out, so a broker killed
 * while it is connected still owes it after restart (5.0 4.1: the will is session state).
 */
export function willAttached(store: SessionStore, client: WillOwner): void {
  if (!client.will) return;
  const willId = randomUUID();
  willIds.set(client, willId);
  store.saveWill(storedWill(client, willId, undefined));
}

/**
 * The session's CONNECT was accepted: a delayed will of an earlier connection is not published (MQTT-3.1.3-9).
 * Not before: a CONNECT refused after its session was opened resumed nothing, so that will stays due.
 */
export function cancelDelayedWill(store: SessionStore, session: Session): void {
  const cancelled = session.pendingWill;
  if (!cancelled) return;
  session.pendingWill = undefined;
  clearTimeout(session.willTimer);
  session.willTimer = undefined;
  forgetWill(store, cancelled);
}

/** A connection left its session: unless its will is to be published (`scheduleWill` follows), it is discarded. */
export function willDetached(store: SessionStore, client: WillOwner, publishes: boolean): void {
  if (!publishes) forgetWill(store, client);
}

function forgetWill(store: SessionStore, owner: WillOwner): void {
  const willId = willIds.get(owner);
  if (willId === undefined) return;
  willIds.delete(owner);
  store.deleteWill(owner.clientId, willId);
}

/**
 * A connection ended without a normal DISCONNECT: publish its will now, or after the 5.0 will delay
 * (MQTT-3.1.3-9: min(delay, session expiry)) unless the session resumes first. `session` is absent for a will
 * restored at start-up whose session did not survive: that session has ended, so the will is due now.
 */
export function scheduleWill(broker: Broker, owner: WillOwner, session: Session | undefined, closedAt = Date.now()): void {
  const will = owner.will!;
  const delay = owner.protocolVersion === 5 ? will.properties?.willDelayInterval ?? 0 : 0;
  if (!session || delay === 0 || session.expiryInterval === 0) {
    void publishWill(broker, owner);
    return;
  }
  delayWill(broker, owner, session, closedAt + Math.min(delay, session.expiryInterval) * 1000);
}

/** Holds a will on its session until `dueAt` (epoch ms), stored with that time so a restart keeps the delay. */
function delayWill(broker: Broker, owner: WillOwner, session: Session, dueAt: number): void {
  const willId = willIds.get(owner);
  if (willId !== undefined) broker.store.saveWill(storedWill(owner, willId, dueAt));
  session.pendingWill = owner;
  clearTimeout(session.willTimer);
  session.willTimer = setTimeout(
    broker.guarded('will delay', () => {
      session.pendingWill = undefined;
      if (!session.client) void publishWill(broker, owner);
    }),
    Math.max(0, dueAt - Date.now()),
  ).unref();
}

/**
 * Start-up: every stored will belongs to a connection that died with the broker. One that was connected is
 * treated as closed now (its will delay counts from the restart, so a client that comes back in time cancels it);
 * one whose delay was running keeps its due time; a will whose session is gone is published at once.
 */
export function restoreWills(broker: Broker, wills: StoredWill[]): void {
  const now = Date.now();
  for (const stored of wills) {
    const owner: WillOwner = { clientId: stored.clientId, username: stored.username, remoteAddress: 'unknown (restored)', protocolVersion: stored.protocolVersion, will: stored.will };
    willIds.set(owner, stored.willId);
    const session = broker.sessions.get(stored.clientId);
    if (stored.dueAt === undefined) scheduleWill(broker, owner, session, now);
    else if (session && stored.dueAt > now) delayWill(broker, owner, session, stored.dueAt);
    else void publishWill(broker, owner);
  }
}

/** Publishes a will as its client would have: authorized like a PUBLISH, retained if asked, properties kept. */
export async function publishWill(broker: Broker, owner: WillOwner): Promise<void> {
  const will = owner.will!;
  try {
    const hook = broker.hooks.authorizePublish;
    if (hook && !(await hook(owner, { topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain }))) {
      broker.log.info('will refused', { clientId: owner.clientId, topic: will.topic });
      forgetWill(broker.store, owner);
      return;
    }
    const message: BrokerMessage = { topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain, publisherId: owner.clientId };
    const { willDelayInterval: _delay, messageExpiryInterval: expiry, ...properties } = will.properties ?? {};
    if (Object.keys(properties).length > 0) message.properties = properties;
    if (expiry !== undefined) message.expiresAt = Date.now() + expiry * 1000;
    broker.log.info('will published', { clientId: owner.clientId, topic: will.topic });
    // Routed and forgotten in one transaction: after a crash the will is either owed still or delivered.
    broker.store.transaction(() => {
      broker.publishMessage(message, owner);
      forgetWill(broker.store, owner);
    });
  } catch (error) {
    broker.log.error('will failed', { clientId: owner.clientId, error: String(error) });
  }
}
