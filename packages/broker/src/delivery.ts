import type { QoS } from '@mqttkit/core';
import type { BrokerLimits } from './limits.ts';
import type { BrokerMessage, Outgoing } from './message.ts';
import type { Session } from './session.ts';
import { mayOverflow, roomMade } from './publish-flow.ts';
import type { Client } from './client.ts';

/**
 * Why a message was dropped. 'disconnected': QoS 0 for a connection that was closing (at most once: not queued
 * for the next one, as for an offline session without `queueQos0Messages`).
 */
export type DropReason = 'queue-full' | 'expired' | 'too-large' | 'unencodable' | 'disconnected';

/** What delivery needs from the broker: limits, a clock, and someone to tell about drops. */
export interface DeliveryContext {
  readonly limits: BrokerLimits;
  /** QoS 0 is queued for an offline session too (otherwise dropped, as mosquitto's default). */
  readonly queueQos0Messages: boolean;
  now(): number;
  dropped(session: Session, message: Outgoing, why: DropReason): void;
}

/**
 * Hands a message to a session: sent at once when the client is connected, its send window has room and its
 * socket is not congested; otherwise queued (bounded: the oldest QoS 0 message goes first, then the newcomer).
 * QoS 0 (the delivery QoS: the subscription's granted QoS caps the message's) is queued for an offline session
 * only with `queueQos0Messages`.
 */
export function deliver(ctx: DeliveryContext, session: Session, message: BrokerMessage, qos: QoS, retain: boolean, subscriptionIds: number[] | undefined): void {
  if (message.expiresAt !== undefined && message.expiresAt <= ctx.now()) return;
  const client = session.client;
  if (qos === 0 && !client && !ctx.queueQos0Messages) return;
  const out: Outgoing = { seq: session.nextSeq(), message, qos, retain, state: 'queued' };
  if (subscriptionIds) out.subscriptionIds = subscriptionIds;
  if (client && session.queue.length === 0 && canSend(ctx, session, out)) {
    if (send(ctx, session, out)) return;
    // The connection is closing: as for an offline session.
    if (qos === 0 && !ctx.queueQos0Messages) {
      ctx.dropped(session, out, 'disconnected');
      return;
    }
  }
  enqueue(ctx, session, out);
}

function canSend(ctx: DeliveryContext, session: Session, out: Outgoing): boolean {
  const client = session.client;
  if (!client || client.congested) return false;
  return out.qos === 0 || session.inflight.size < sendWindow(ctx, client);
}

/** QoS 1/2 PUBLISHes the client may have unacknowledged: its Receive Maximum, capped by the broker's limit. */
function sendWindow(ctx: DeliveryContext, client: Client): number {
  return Math.min(client.receiveMaximum, ctx.limits.maxInflight);
}

/**
 * Sends `out` to the session's client. False when the connection is closing and took nothing: `out` is then still
 * 'queued', for the caller to keep. A message that can never reach this client is discarded as if delivered
 * (MQTT-3.1.2-25 for one too large).
 */
function send(ctx: DeliveryContext, session: Session, out: Outgoing): boolean {
  const client = session.client!;
  if (out.qos === 0) {
    const outcome = client.sendPublish(out, false);
    if (outcome === 'closed') return false;
    if (outcome !== 'sent') ctx.dropped(session, out, outcome);
    return true;
  }
  out.packetId = session.allocatePacketId();
  out.state = 'publish';
  const outcome = client.sendPublish(out, false);
  if (outcome === 'sent') {
    session.inflight.set(out.packetId, out);
    session.saveMessage(out);
    return true;
  }
  if (outcome === 'closed') {
    // Never written: the next connection gets it as a first delivery (no DUP), with a packet id chosen then.
    out.state = 'queued';
    delete out.packetId;
    return false;
  }
  session.deleteMessage(out);
  ctx.dropped(session, out, outcome);
  return true;
}

function enqueue(ctx: DeliveryContext, session: Session, out: Outgoing): void {
  const queue = session.queue;
  if (queue.length >= ctx.limits.maxQueued) {
    const oldestQos0 = queue.findIndex((queued) => queued.qos === 0);
    if (oldestQos0 >= 0) {
      const [dropped] = queue.splice(oldestQos0, 1);
      ctx.dropped(session, dropped!, 'queue-full');
    } else if (out.qos === 0 || !mayOverflow(session, ctx.limits)) {
      // Kept otherwise: the publisher's acknowledgement waits for room (publish-flow.ts).
      ctx.dropped(session, out, 'queue-full');
      return;
    }
  }
  queue.push(out);
  session.saveMessage(out);
}

/**
 * The session lost its connection: QoS 0 messages still queued (behind a full send window or a congested socket)
 * are dropped unless `queueQos0Messages`, as for any QoS 0 published while it is offline (at most once).
 */
export function wentOffline(ctx: DeliveryContext, session: Session): void {
  if (ctx.queueQos0Messages) return;
  const queue = session.queue;
  let kept = 0;
  for (const out of queue) {
    if (out.qos === 0) ctx.dropped(session, out, 'disconnected');
    else queue[kept++] = out;
  }
  if (kept === queue.length) return;
  queue.length = kept;
  if (kept < ctx.limits.maxQueued) roomMade(session);
}

/** Sends queued messages while the window and the socket allow; called on ack, drain and reconnect. */
export function drain(ctx: DeliveryContext, session: Session): void {
  const queue = session.queue;
  let sent = 0;
  while (sent < queue.length) {
    const out = queue[sent]!;
    if (out.message.expiresAt !== undefined && out.message.expiresAt <= ctx.now()) {
      sent++;
      session.deleteMessage(out);
      ctx.dropped(session, out, 'expired');
      continue;
    }
    if (!canSend(ctx, session, out) || !send(ctx, session, out)) break;
    sent++;
  }
  if (sent > 0) queue.splice(0, sent);
  if (queue.length < ctx.limits.maxQueued) roomMade(session);
}

/**
 * A reconnecting persistent session: every unacknowledged PUBLISH again with DUP set, every PUBREL again, in
 * their original order (MQTT-4.4.0-1), then whatever was queued. PUBLISHes beyond the client's Receive Maximum
 * (it may have connected with a smaller one) wait, in flight with their packet ids, for acknowledgements
 * (MQTT-3.3.4-9); queued messages wait behind them.
 */
export function resume(ctx: DeliveryContext, session: Session): void {
  const client = session.client;
  if (!client) return;
  const window = sendWindow(ctx, client);
  let onWire = 0;
  session.resendsDue = 0;
  for (const out of session.inflightMessages()) {
    if (out.state === 'pubrel') {
      client.send({ type: 'pubrel', packetId: out.packetId! });
      onWire++;
      continue;
    }
    if (onWire >= window) {
      out.resendDue = true;
      session.resendsDue++;
      continue;
    }
    delete out.resendDue;
    const outcome = resendPublish(ctx, session, client, out);
    if (outcome === 'closed') return; // all still in flight and queued, for the next connection
    if (outcome === 'sent') onWire++;
  }
  drain(ctx, session);
}

/** Resends what `resume` held back, while the client's Receive Maximum has room. */
function resendDue(ctx: DeliveryContext, session: Session, client: Client): void {
  let onWire = session.inflight.size - session.resendsDue;
  const window = sendWindow(ctx, client);
  for (const out of session.inflightMessages()) {
    if (onWire >= window || session.resendsDue === 0) return;
    if (!out.resendDue) continue;
    delete out.resendDue;
    session.resendsDue--;
    const outcome = resendPublish(ctx, session, client, out);
    if (outcome === 'closed') return; // the next connection's `resume` starts over
    if (outcome === 'sent') onWire++;
  }
}

/** The client acknowledged a message `resume` held back: it needs no resend. */
function notDue(session: Session, out: Outgoing): void {
  if (!out.resendDue) return;
  delete out.resendDue;
  session.resendsDue--;
}

/** An unacknowledged PUBLISH again, DUP set (MQTT-3.3.1-1); one that can never reach this client is discarded. */
function resendPublish(ctx: DeliveryContext, session: Session, client: Client, out: Outgoing): 'sent' | 'dropped' | 'closed' {
  const outcome = client.sendPublish(out, true);
  if (outcome === 'sent' || outcome === 'closed') return outcome;
  session.inflight.delete(out.packetId!);
  session.deleteMessage(out);
  ctx.dropped(session, out, outcome);
  return 'dropped';
}

/** PUBACK (QoS 1) or PUBCOMP (QoS 2): the message is done. Unknown ids are ignored (a late duplicate ack). */
export function complete(ctx: DeliveryContext, session: Session, packetId: number, expected: 'publish' | 'pubrel'): boolean {
  const out = session.inflight.get(packetId);
  if (!out || out.state !== expected || (expected === 'publish' && out.qos !== 1)) return false;
  notDue(session, out); // acknowledged from the previous connection's copy
  session.inflight.delete(packetId);
  session.deleteMessage(out);
  refill(ctx, session);
  return true;
}

/**
 * After an ack, refill the send window only once half of it is free: the queued messages then leave in batches
 * (one frame) instead of one small frame per acknowledgement.
 */
function refill(ctx: DeliveryContext, session: Session): void {
  const client = session.client;
  if (!client) return;
  if (session.resendsDue > 0) resendDue(ctx, session, client);
  if (session.queue.length === 0) return;
  if (session.inflight.size <= sendWindow(ctx, client) >> 1) drain(ctx, session);
}

/** PUBREC: the client has the QoS 2 message; from now on we own only the PUBREL. False for an unknown id. */
export function released(ctx: DeliveryContext, session: Session, packetId: number, failed: boolean): boolean {
  const out = session.inflight.get(packetId);
  if (!out || out.qos !== 2) return false;
  notDue(session, out);
  if (failed) {
    // A PUBREC with a failure reason ends the exchange (MQTT 5.0 4.3.3).
    session.inflight.delete(packetId);
    session.deleteMessage(out);
    refill(ctx, session);
    return true;
  }
  out.state = 'pubrel';
  session.saveMessage(out);
  return true;
}
