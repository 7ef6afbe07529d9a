import { ProtocolError, type Packet } from '@mqttkit/core';
import type { Client } from './client.ts';
import { failConnection } from './disconnect.ts';
import { handleConnect } from './handlers/connect.ts';
import { handlePublish } from './handlers/publish.ts';
import { handlePubackOrPubcomp } from './handlers/puback.ts';
import { handlePubrec } from './handlers/pubrec.ts';
import { handlePubrel } from './handlers/pubrel.ts';
import { handleSubscribe } from './handlers/subscribe.ts';
import { handleUnsubscribe } from './handlers/unsubscribe.ts';
import { handlePingreq } from './handlers/pingreq.ts';
import { handleDisconnect } from './handlers/disconnect.ts';
import { handleAuth } from './handlers/auth.ts';
import { Reason } from './reason-codes.ts';

/** Packets held per connection while an async hook runs. */
const MAX_BACKLOG = 10_000;

/** A handler finishes synchronously, or returns a promise when it awaited a hook. */
type Outcome = void | Promise<void>;

/**
 * Takes one decoded packet from a connection to its handler. Enforces CONNECT first and only once
 * (MQTT-3.1.0-1, MQTT-3.1.0-2), keeps a connection's packets in order while an async hook runs, and sends
 * every exception to `failConnection`, so no handler can throw into the event loop.
 */
export function receivePacket(client: Client, packet: Packet): void {
  if (client.state === 'closed') return;
  if (client.backlog) {
    // A hook that never answers must not let a flooding client grow memory without bound.
    if (client.backlog.length >= MAX_BACKLOG) {
      failConnection(client, new ProtocolError(`more than ${MAX_BACKLOG} packets sent while a hook was pending`, Reason.QuotaExceeded));
      return;
    }
    client.backlog.push(packet);
    return;
  }
  run(client, packet);
}

/** A link error waiting behind packets held for a hook (see `receiveError`). */
const pendingErrors = new WeakMap<Client, unknown>();

/**
 * An error from a connection's link (a malformed packet, a failed write). It waits behind the packets held while
 * a hook runs, so the packets that arrived before a malformed one are handled first (a CONNECT answered, a
 * DISCONNECT honoured) however TCP cut the stream.
 */
export function receiveError(client: Client, error: unknown): void {
  if (client.backlog && client.state !== 'closed') pendingErrors.set(client, error);
  else failConnection(client, error);
}

function run(client: Client, packet: Packet): void {
  let outcome: Outcome;
  try {
    outcome = dispatch(client, packet);
  } catch (error) {
    failConnection(client, error);
    return;
  }
  if (outcome) {
    client.backlog = [];
    outcome.then(
      () => resumeBacklog(client),
      (error: unknown) => {
        client.backlog = undefined;
        failConnection(client, error);
      },
    );
  }
}

function resumeBacklog(client: Client): void {
  const backlog = client.backlog ?? [];
  client.backlog = undefined;
  for (let i = 0; i < backlog.length; i++) {
    if (client.state === 'closed') return;
    if (client.backlog) {
      // A handler went async again: the rest waits behind it, ahead of anything newer.
      (client.backlog as Packet[]).push(...backlog.slice(i));
      return;
    }
    run(client, backlog[i]!);
  }
  const error = pendingErrors.get(client);
  if (error !== undefined && !client.backlog) {
    pendingErrors.delete(client);
    failConnection(client, error);
  }
}

function dispatch(client: Client, packet: Packet): Outcome {
  if (client.state === 'awaiting-connect') {
    if (packet.type !== 'connect') throw new ProtocolError(`the first packet must be CONNECT, got ${packet.type.toUpperCase()}`);
    return handleConnect(client, packet);
  }
  if (client.state === 'connecting') {
    // Only while an enhanced authentication exchange waits for the client (other CONNECTs finish in one step,
    // with later packets held in the backlog): MQTT-3.1.2-30 allows AUTH and DISCONNECT only.
    if (packet.type === 'auth') return handleAuth(client, packet);
    if (packet.type === 'disconnect') return client.close();
    throw new ProtocolError(`${packet.type.toUpperCase()} before CONNACK during enhanced authentication: only AUTH or DISCONNECT may be sent`, Reason.ProtocolError);
  }
  switch (packet.type) {
    case 'connect':
      throw new ProtocolError('a second CONNECT on one connection is a protocol error');
    case 'publish':
      return handlePublish(client, packet);
    case 'puback':
    case 'pubcomp':
      return handlePubackOrPubcomp(client, packet);
    case 'pubrec':
      return handlePubrec(client, packet);
    case 'pubrel':
      return handlePubrel(client, packet);
    case 'subscribe':
      return handleSubscribe(client, packet);
    case 'unsubscribe':
      return handleUnsubscribe(client, packet);
    case 'pingreq':
      return handlePingreq(client);
    case 'disconnect':
      return handleDisconnect(client, packet);
    case 'auth':
      return handleAuth(client, packet);
    case 'connack':
    case 'suback':
    case 'unsuback':
    case 'pingresp':
      throw new ProtocolError(`${packet.type.toUpperCase()} is sent by a server, never to it`, Reason.ProtocolError);
  }
}
