import { ProtocolError, type AuthPacket } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { beginExchange, continueExchange } from '../enhanced-auth.ts';
import { Reason } from '../reason-codes.ts';

/**
 * AUTH from a client (5.0 enhanced authentication, MQTT 5.0 4.12): 0x18 answers the challenge of the exchange in
 * progress, 0x19 starts a re-authentication of a connected client with the method it connected with.
 */
export function handleAuth(client: Client, packet: AuthPacket): Promise<void> {
  const reasonCode = packet.reasonCode ?? Reason.Success;
  const method = packet.properties?.authenticationMethod;
  const data = packet.properties?.authenticationData;
  if (client.authenticationMethod === undefined && client.auth === undefined) {
    throw new ProtocolError('AUTH from a client that named no authentication method in CONNECT', Reason.ProtocolError); // MQTT-4.12.0-7
  }
  if (reasonCode === Reason.ContinueAuthentication) {
    const pending = client.auth;
    if (!pending?.awaitingClient) throw new ProtocolError('AUTH 0x18 while no authentication challenge is waiting for an answer', Reason.ProtocolError);
    if (method !== pending.method) throw new ProtocolError(`AUTH must carry the authentication method "${pending.method}"`, Reason.ProtocolError); // MQTT-4.12.0-5
    return continueExchange(client, data);
  }
  if (reasonCode === Reason.ReAuthenticate && client.state === 'connected') {
    if (client.auth) throw new ProtocolError('re-authentication while an authentication exchange is in progress', Reason.ProtocolError);
    const connectedWith = client.authenticationMethod!;
    if (method !== connectedWith) throw new ProtocolError(`re-authentication must use the method of CONNECT, "${connectedWith}"`, Reason.ProtocolError); // MQTT-4.12.1-1
    return beginExchange(client, connectedWith, data, undefined, (final) => {
      client.send({ type: 'auth', reasonCode: Reason.Success, properties: final ? { authenticationMethod: connectedWith, authenticationData: final } : { authenticationMethod: connectedWith } });
    });
  }
  throw new ProtocolError(`AUTH with reason 0x${reasonCode.toString(16)} is not one a client may send now`, Reason.ProtocolError);
}
