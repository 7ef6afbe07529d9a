import type { Broker } from './broker.ts';
import type { Client } from './client.ts';
import { disconnectClient } from './disconnect.ts';
import { Reason } from './reason-codes.ts';

/**
 * Closes a client silent for one and a half keepalives (MQTT-3.1.2-24; 5.0 DISCONNECT 0x8D). One timer per
 * connection, re-armed lazily from the time of the last packet rather than reset on every packet.
 */
export function watchKeepAlive(broker: Broker, client: Client): void {
  if (client.keepaliveSeconds === 0) return;
  const limitMs = client.keepaliveSeconds * 1500;
  const check = broker.guarded('keepalive', (): void => {
    if (client.state !== 'connected') return;
    const idle = Date.now() - client.lastPacketAt;
    if (idle >= limitMs) {
      broker.log.info('keepalive timeout', { clientId: client.clientId, keepalive: client.keepaliveSeconds });
      disconnectClient(client, Reason.KeepAliveTimeout, 'keep alive timeout');
    } else client.keepaliveTimer = setTimeout(check, limitMs - idle).unref();
  });
  client.keepaliveTimer = setTimeout(check, limitMs).unref();
}
