import { ProtocolError } from '@mqttkit/core';
import type { Client } from './client.ts';
import type { AuthExchange, AuthStep } from './hooks.ts';
import { Reason } from './reason-codes.ts';

/** An enhanced authentication exchange in progress on one connection (CONNECT's or a re-authentication). */
export interface PendingAuth {
  readonly method: string;
  readonly exchange: AuthExchange;
  /** What success leads to: the rest of CONNECT, or AUTH 0x00 after a re-authentication. */
  readonly finish: (data: Uint8Array | undefined) => void;
  /** True once AUTH 0x18 went out and the client's answer is due. */
  awaitingClient: boolean;
}

/**
 * Starts a 5.0 enhanced authentication exchange (MQTT 5.0 4.12) with the method's hook and runs its first step.
 * An unknown method refuses with 0x8C (MQTT-4.12.0-1).
 */
export async function beginExchange(
  client: Client,
  method: string,
  data: Uint8Array | undefined,
  password: Uint8Array | undefined,
  finish: (data: Uint8Array | undefined) => void,
): Promise<void> {
  const reauthentication = client.state === 'connected';
  const start = client.broker.hooks.authenticationMethods?.[method];
  if (!start) throw new ProtocolError(`authentication method "${method}" is not supported`, Reason.BadAuthenticationMethod);
  let exchange: AuthExchange;
  try {
    exchange = start({ clientId: client.clientId, username: client.username, password, remoteAddress: client.remoteAddress, protocolVersion: client.protocolVersion, method, reauthentication });
  } catch (error) {
    throw hookFailed(client, method, error, reauthentication);
  }
  client.auth = { method, exchange, finish, awaitingClient: false };
  await continueExchange(client, data);
}

/** Feeds the client's data to the exchange and acts on its answer: challenge again, accept, or refuse. */
export async function continueExchange(client: Client, data: Uint8Array | undefined): Promise<void> {
  const pending = client.auth!;
  pending.awaitingClient = false;
  const reauthentication = client.state === 'connected';
  let step: AuthStep;
  try {
    step = await pending.exchange(data);
  } catch (error) {
    throw hookFailed(client, pending.method, error, reauthentication);
  }
  if (client.state === 'closed' || client.auth !== pending) return;
  if (step.status === 'continue') {
    // MQTT-4.12.0-2 and -5: AUTH 0x18 carrying the method of the CONNECT.
    pending.awaitingClient = true;
    client.send({ type: 'auth', reasonCode: Reason.ContinueAuthentication, properties: { authenticationMethod: pending.method, authenticationData: step.data } });
    return;
  }
  client.auth = undefined;
  if (step.status === 'success') {
    client.authenticationMethod = pending.method;
    pending.finish(step.data);
    return;
  }
  client.broker.log.info(reauthentication ? 're-authentication failed' : 'authentication failed', { clientId: client.clientId, method: pending.method, reason: step.reasonString });
  // MQTT-4.12.0-4: CONNACK >= 0x80 during CONNECT; MQTT-4.12.1-2: DISCONNECT after a failed re-authentication.
  throw new ProtocolError(step.reasonString ?? 'authentication failed', step.reasonCode ?? Reason.NotAuthorized);
}

function hookFailed(client: Client, method: string, error: unknown, reauthentication: boolean): ProtocolError {
  client.auth = undefined;
  client.broker.log.error('authentication method hook failed', { clientId: client.clientId, method, error: String(error) });
  // 0x88 is a CONNACK code only; a connected client gets DISCONNECT 0x80.
  return new ProtocolError('authentication failed', reauthentication ? Reason.UnspecifiedError : Reason.ServerUnavailable);
}
