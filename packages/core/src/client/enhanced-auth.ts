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
  const { authenticate, authenticationMethod } = host.options;
  const reasonCode = packet.reasonCode ?? 0;
  if (authenticate === undefined || reasonCode !== 0x18) {
    if (reasonCode === 0 && host.connected()) return; // re-authentication succeeded
    host.abort(new ProtocolError('The server sent AUTH but no authenticate callback is set'), true);
    return;
  }
  const method = packet.properties?.authenticationMethod ?? authenticationMethod ?? '';
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
