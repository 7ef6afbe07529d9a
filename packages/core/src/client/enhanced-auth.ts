import type { AuthPacket } from '../codec/packets.ts';
import { ProtocolError } from '../errors.ts';
import { asMqttError } from './errors.ts';
import type { ClientHost } from './features.ts';

/**
 * MQTT 5.0 enhanced authentication (a client feature): hands each AUTH challenge (reason 0x18, continue) to
 * `options.authenticate` and sends its answer, during CONNECT and for re-authentication. `isCurrent` says whether
 * the connection the challenge came on is still the client's, since the callback may take a while.
 */
export async function enhancedAuth(host: ClientHost, packet: AuthPacket, isCurrent: () => boolean): Promise<void> {
  const { authenticate, authenticationMethod: method } = host.options;
  const reasonCode = packet.reasonCode ?? 0;
  if (reasonCode === 0 && host.connected()) return; // re-authentication succeeded
  // Only a challenge (0x18) in the method our CONNECT named gets an answer [MQTT-4.12.0-5]; without a method
  // in CONNECT the client must send no AUTH at all [MQTT-4.12.0-7].
  if (authenticate === undefined || reasonCode !== 0x18 || method === undefined || packet.properties?.authenticationMethod !== method) {
    host.abort(new ProtocolError('The server sent an AUTH this client cannot answer; check authenticate and authenticationMethod'), true);
    return;
  }
  try {
    const data = await authenticate({ method, data: packet.properties?.authenticationData });
    if (!isCurrent()) return;
    host.send({
      type: 'auth',
      reasonCode: 0x18,
      properties: data === undefined ? { authenticationMethod: method } : { authenticationMethod: method, authenticationData: data },
    });
  } catch (error) {
    if (isCurrent()) host.abort(asMqttError(error, 'authenticate() failed'), true);
  }
}
