import { MqttError, type ConnackPacket } from '@mqttkit/core';
import type { Client } from './client.ts';
import { ConnectRefusal } from './handlers/connect.ts';
import { Reason, connackCode, connackCodeV4, disconnectCode } from './reason-codes.ts';

/**
 * The one place where any error ends a connection. During CONNECT it answers with a refusing CONNACK (when the
 * protocol version is known); once connected, 5.0 gets a DISCONNECT with the reason code and reason string, 3.1.1
 * just a close. Errors that are not `MqttError`s are bugs or failing hooks: logged with their stack, answered with
 * 0x80, and confined to this connection.
 */
export function failConnection(client: Client, error: unknown): void {
  if (client.state === 'closed') return;
  const known = error instanceof MqttError;
  const reasonCode = known && error.reasonCode !== undefined ? error.reasonCode : Reason.UnspecifiedError;
  const message = error instanceof Error ? error.message : String(error);
  const log = client.broker.log;
  if (known) log.info('closing connection', { clientId: client.clientId || undefined, address: client.remoteAddress, reasonCode: hex(reasonCode), reason: message });
  else log.error('unexpected error, closing connection', { clientId: client.clientId || undefined, address: client.remoteAddress, error: error instanceof Error ? error.stack ?? message : message });

  if (client.state === 'connected') {
    disconnectClient(client, reasonCode, known ? message : 'internal error');
    return;
  }
  const version = client.link.version;
  if (version !== undefined && reasonCode >= 0x80) {
    // MQTT-3.2.2-6/7: a refused CONNECT gets a CONNACK with the reason, then the connection closes.
    client.link.version = version;
    const connack: ConnackPacket = { type: 'connack', sessionPresent: false, reasonCode: version === 5 ? connackCode(reasonCode) : connackCodeV4(reasonCode) };
    if (version === 5 && error instanceof ConnectRefusal) connack.properties = { serverReference: error.serverReference };
    client.send(connack);
  }
  client.close();
}

/** Server-initiated close of an accepted connection: 5.0 DISCONNECT with a reason (MQTT-3.14.2-1), then close. */
export function disconnectClient(client: Client, reason: number, reasonString?: string): void {
  if (client.state === 'closed') return;
  if (client.protocolVersion === 5 && client.state === 'connected') {
    const reasonCode = disconnectCode(reason);
    client.send(reasonString ? { type: 'disconnect', reasonCode, properties: { reasonString } } : { type: 'disconnect', reasonCode });
  }
  client.close();
}

function hex(code: number): string {
  return '0x' + code.toString(16).padStart(2, '0');
}
