import { ProtocolError, type AuthPacket } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { Reason } from '../reason-codes.ts';

/** Enhanced authentication is not offered (CONNECT with a method is refused), so any AUTH is a protocol error. */
export function handleAuth(_client: Client, _packet: AuthPacket): void {
  throw new ProtocolError('AUTH without an authentication method in CONNECT', Reason.ProtocolError);
}
