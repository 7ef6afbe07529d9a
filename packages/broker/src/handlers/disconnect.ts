import { ProtocolError, type DisconnectPacket } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { Reason } from '../reason-codes.ts';

/**
 * A client's DISCONNECT: no will unless 5.0 reason 0x04 asks for it (MQTT-3.14.4-3), and 5.0 may change the
 * session expiry, but not from 0 to non-zero (a protocol error, MQTT 5.0 3.14.2.2.2).
 */
export function handleDisconnect(client: Client, packet: DisconnectPacket): void {
  const session = client.session!;
  const expiry = packet.properties?.sessionExpiryInterval;
  if (expiry !== undefined) {
    if (session.expiryInterval === 0 && expiry !== 0) {
      throw new ProtocolError('session expiry cannot be set on DISCONNECT when CONNECT set it to 0', Reason.ProtocolError);
    }
    client.broker.setSessionExpiry(session, expiry);
  }
  client.willOnClose = packet.reasonCode === Reason.DisconnectWithWillMessage;
  client.broker.log.debug('client disconnected', { clientId: client.clientId, reasonCode: packet.reasonCode ?? 0 });
  client.close();
}
