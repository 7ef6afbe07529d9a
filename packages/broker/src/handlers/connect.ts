import { ProtocolError, topicNameProblem, type ConnackPacket, type ConnectPacket, type Properties } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { Reason } from '../reason-codes.ts';
import { NEVER_EXPIRES } from '../session.ts';
import { beginExchange } from '../enhanced-auth.ts';

/**
 * CONNECT as named steps, each able to refuse by throwing `ProtocolError { reasonCode }` (answered with a
 * CONNACK by `failConnection`): validate → authenticate (the `authenticate` hook, or a 5.0 enhanced
 * authentication exchange) → take over or restore the session → CONNACK → resend what was in flight and deliver
 * what was queued.
 */
export async function handleConnect(client: Client, packet: ConnectPacket): Promise<void> {
  client.state = 'connecting';
  client.protocolVersion = packet.protocolVersion;
  client.link.version = packet.protocolVersion;
  const assignedClientId = validate(client, packet);
  const method = packet.properties?.authenticationMethod;
  if (method !== undefined) {
    // 5.0 enhanced authentication: AUTH exchanges (handlers/auth.ts) until the method accepts or refuses.
    await beginExchange(client, method, packet.properties?.authenticationData, packet.password, (data) => onAuthorised(client, packet, assignedClientId, data));
    return;
  }
  await authenticate(client, packet);
  if (client.state !== 'connecting') return; // the socket closed while a hook ran
  onAuthorised(client, packet, assignedClientId, undefined);
}

/** The steps after authentication, whichever way it went (mosquitto's `connect__on_authorised`). */
function onAuthorised(client: Client, packet: ConnectPacket, assignedClientId: string | undefined, authenticationData: Uint8Array | undefined): void {
  refuseAnotherUsersClientId(client);
  const sessionPresent = takeOverOrRestoreSession(client, packet);
  if (!sendConnack(client, packet, sessionPresent, assignedClientId, authenticationData)) {
    // Over the client's own Maximum Packet Size, and nothing in it is optional [MQTT-3.1.2-24]: close now rather
    // than leave the client waiting for a CONNACK until its timeout. The session detaches as for a failed CONNECT.
    client.broker.log.info('CONNACK larger than the client allows: connection closed', { clientId: client.clientId, maximumPacketSize: packet.properties?.maximumPacketSize });
    client.close();
    return;
  }
  client.broker.connected(client);
  client.broker.resendAndDeliverQueued(client);
}

/** Protocol-level checks that need no I/O. Returns the client id the broker assigned, if it did. */
function validate(client: Client, packet: ConnectPacket): string | undefined {
  const broker = client.broker;
  const v5 = packet.protocolVersion === 5;
  if (!broker.admitConnection(client.remoteAddress)) {
    throw new ProtocolError('too many connections from this address: try again later', Reason.ConnectionRateExceeded);
  }
  if (broker.connectedCount >= broker.limits.maxConnections) {
    throw new ProtocolError(`the broker is at its limit of ${broker.limits.maxConnections} connections`, v5 ? Reason.QuotaExceeded : Reason.ServerUnavailable);
  }
  // 5.0 3.1.2.11.10: Authentication Data without an Authentication Method is a Protocol Error.
  if (packet.properties?.authenticationData !== undefined && packet.properties.authenticationMethod === undefined) {
    throw new ProtocolError('authentication data without an authentication method');
  }
  let assigned: string | undefined;
  if (packet.clientId === '') {
    // MQTT-3.1.3-8: 3.1.1 allows an empty client id only with a clean session.
    if (!v5 && !packet.clean) throw new ProtocolError('an empty client id needs clean session', Reason.ClientIdentifierNotValid);
    assigned = broker.assignClientId();
  } else if (packet.clientId.length > broker.limits.maxClientIdLength) {
    throw new ProtocolError(`client id longer than ${broker.limits.maxClientIdLength} characters`, Reason.ClientIdentifierNotValid);
  }
  client.clientId = assigned ?? packet.clientId;
  client.username = packet.username;
  if (packet.will) {
    const problem = topicNameProblem(packet.will.topic);
    if (problem) throw new ProtocolError(`will topic: ${problem}`, Reason.TopicNameInvalid);
    client.will = { ...packet.will, payload: packet.will.payload.slice() }; // own copy: outlives the read buffer
  }
  const properties = packet.properties;
  if (properties?.receiveMaximum !== undefined) client.receiveMaximum = properties.receiveMaximum;
  if (properties?.requestProblemInformation === 0) client.problemInformation = false;
  if (properties?.topicAliasMaximum !== undefined) client.topicAliasMaximum = Math.min(properties.topicAliasMaximum, broker.limits.topicAliasMaximum);
  if (properties?.maximumPacketSize !== undefined) client.link.peerMaximumPacketSize = properties.maximumPacketSize;
  client.keepaliveSeconds = effectiveKeepAlive(packet.keepalive, broker.limits.maxKeepAlive);
  return assigned;
}

/** The broker may lower the keepalive (5.0 server keep alive); 0 (off) counts as too long when a max is set. */
function effectiveKeepAlive(requested: number, maximum: number): number {
  if (maximum > 0 && (requested === 0 || requested > maximum)) return maximum;
  return requested;
}

async function authenticate(client: Client, packet: ConnectPacket): Promise<void> {
  const hook = client.broker.hooks.authenticate;
  if (!hook) return;
  let result;
  try {
    result = await hook({
      clientId: client.clientId,
      username: packet.username,
      password: packet.password,
      remoteAddress: client.remoteAddress,
      protocolVersion: packet.protocolVersion,
    });
  } catch (error) {
    client.broker.log.error('authenticate hook failed', { clientId: client.clientId, error: String(error) });
    throw new ProtocolError('authentication failed', Reason.ServerUnavailable);
  }
  if (result === true) return;
  if (result === false) throw new ProtocolError('bad user name or password', Reason.BadUserNameOrPassword);
  if (result.serverReference !== undefined) throw new ConnectRefusal(result.reasonString ?? 'redirected', result.reasonCode, result.serverReference);
  throw new ProtocolError(result.reasonString ?? 'not authorized', result.reasonCode);
}

/** A refusal whose 5.0 CONNACK carries a Server Reference (reason 0x9C/0x9D: connect there instead). */
export class ConnectRefusal extends ProtocolError {
  constructor(message: string, reasonCode: number, readonly serverReference: string) {
    super(message, reasonCode);
  }
}

/**
 * With authentication on, a client id belongs to the user whose connection or session holds it: another user
 * may neither disconnect that connection (takeover) nor inherit its session and queued messages.
 */
function refuseAnotherUsersClientId(client: Client): void {
  if (!client.broker.hooks.authenticate && client.authenticationMethod === undefined) return; // anonymous brokers keep the spec's plain takeover
  const holder = client.broker.clientIdHolder(client.clientId);
  if (holder && holder.username !== client.username) {
    throw new ProtocolError(`client id "${client.clientId}" is in use by another user: choose another one`, Reason.NotAuthorized);
  }
}

/** MQTT-3.1.4-3 takeover, MQTT-3.1.2-4/5 clean start, 5.0 session expiry. Returns session present. */
function takeOverOrRestoreSession(client: Client, packet: ConnectPacket): boolean {
  const expiry = packet.protocolVersion === 5 ? packet.properties?.sessionExpiryInterval ?? 0 : packet.clean ? 0 : NEVER_EXPIRES;
  return client.broker.openSession(client, packet.clean, expiry);
}

/** Sends the accepting CONNACK; false when it could not go (too large for the client, or the connection closed). */
function sendConnack(client: Client, packet: ConnectPacket, sessionPresent: boolean, assignedClientId: string | undefined, authenticationData: Uint8Array | undefined): boolean {
  const connack: ConnackPacket = { type: 'connack', sessionPresent, reasonCode: Reason.Success };
  if (packet.protocolVersion === 5) {
    const limits = client.broker.limits;
    const properties: Properties = {
      receiveMaximum: limits.receiveMaximum,
      maximumPacketSize: limits.maxPacketSize,
      topicAliasMaximum: limits.topicAliasMaximum,
    };
    if (assignedClientId !== undefined) properties.assignedClientIdentifier = assignedClientId;
    if (client.keepaliveSeconds !== packet.keepalive) properties.serverKeepAlive = client.keepaliveSeconds;
    // MQTT-4.12.0-5: a successful CONNACK repeats the method of the CONNECT.
    if (client.authenticationMethod !== undefined) properties.authenticationMethod = client.authenticationMethod;
    if (authenticationData !== undefined) properties.authenticationData = authenticationData;
    connack.properties = properties;
  }
  return client.send(connack);
}
