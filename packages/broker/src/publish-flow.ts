/**
 * Publisher flow control for persistent sessions. A QoS 1/2 message routed to a persistent session whose queue
 * is full is kept and the publisher's PUBACK/PUBREC waits until that session has room again. A publisher held to its window (Receive Maximum at 5.0, our client's 20 at 3.1.1) then slows to the pace
 * of the subscriber, instead of the broker dropping messages it told the publisher it had accepted
 * (MQTT-4.5.0-1). A session that frees no room within `limits.maxAckHoldMs` counts as stalled: its holds are
 * released and, until it drains below the limit, its newest messages are dropped as before, so a dead subscriber
 * cannot stall publishers for long. Clean sessions keep the plain drop policy: a transient subscriber slows no one.
 * The overflow is bounded per publisher: past `limits.receiveMaximum` held acknowledgements (a client ignoring
 * the window), its messages get the drop policy. Held acknowledgements leave in the order their PUBLISHes came
 * (MQTT-4.6.0-2/3).
 */
import type { BrokerLimits } from './limits.ts';
import type { Client } from './client.ts';
import type { Session } from './session.ts';

interface HeldAck {
  client: Client;
  /** A PUBACK (QoS 1); a held PUBREC's message is counted by the session's inbound QoS 2 state instead. */
  puback: boolean;
  /** Overflowed sessions that have not made room yet. */
  waitingOn: number;
  send: () => void;
}

interface SessionHold {
  holds: HeldAck[];
  timer: NodeJS.Timeout | undefined;
  stalled: boolean;
}

const ackQueues = new WeakMap<Client, HeldAck[]>();
const sessionHolds = new WeakMap<Session, SessionHold>();
/** The publish being routed now (routing is synchronous): its publisher and the sessions it overflowed. */
let routing: { client: Client; overflowed: Set<Session> } | undefined;

/**
 * Runs `route` and returns what it returned with the sessions it overflowed. Only a route run through here may
 * overflow a queue: messages the broker publishes itself (wills, `$SYS`, retained replays) keep the drop policy.
 */
export function routeCollectingOverflows<T>(client: Client, route: () => T): { result: T; overflowed: Set<Session> } {
  const overflowed = new Set<Session>();
  routing = { client, overflowed };
  try {
    return { result: route(), overflowed };
  } finally {
    routing = undefined;
  }
}

/** Called by delivery when `session`'s queue is full: true when this QoS 1/2 message may be kept anyway. */
export function mayOverflow(session: Session, limits: BrokerLimits): boolean {
  if (routing === undefined || !session.persistent || limits.maxAckHoldMs <= 0) return false;
  if (sessionHolds.get(session)?.stalled || (ackQueues.get(routing.client)?.length ?? 0) >= limits.receiveMaximum) return false;
  routing.overflowed.add(session);
  return true;
}

/** Sends a publisher's acknowledgement once every session in `overflowed` has room, behind its earlier held ones. */
export function acknowledgeWhenRoom(client: Client, qos: 1 | 2, overflowed: Set<Session>, holdMs: number, send: () => void): void {
  let queue = ackQueues.get(client);
  if (overflowed.size === 0 && !queue?.length) return send();
  if (!queue) ackQueues.set(client, (queue = []));
  const held: HeldAck = { client, puback: qos === 1, waitingOn: overflowed.size, send };
  queue.push(held);
  for (const session of overflowed) {
    let hold = sessionHolds.get(session);
    if (!hold) sessionHolds.set(session, (hold = { holds: [], timer: undefined, stalled: false }));
    hold.holds.push(held);
    hold.timer ??= setTimeout(() => release(session, true), holdMs).unref();
  }
  flush(queue);
}

/** QoS 1 messages from `client` whose PUBACK is held: unacknowledged, so they count against its Receive Maximum. */
export function heldPubacks(client: Client): number {
  let count = 0;
  for (const held of ackQueues.get(client) ?? []) if (held.puback) count++;
  return count;
}

/** The session's queue fell below the limit (or the session ended): its held acknowledgements may go. */
export function roomMade(session: Session): void {
  release(session, false);
}

function release(session: Session, stalled: boolean): void {
  const hold = sessionHolds.get(session);
  if (!hold) return;
  hold.stalled = stalled;
  clearTimeout(hold.timer);
  hold.timer = undefined;
  const holds = hold.holds;
  hold.holds = [];
  for (const held of holds) held.waitingOn--;
  for (const held of holds) {
    const queue = ackQueues.get(held.client);
    if (queue) flush(queue);
  }
}

function flush(queue: HeldAck[]): void {
  while (queue.length && queue[0]!.waitingOn <= 0) queue.shift()!.send();
}
