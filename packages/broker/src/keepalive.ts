import type { Broker } from './broker.ts';
import type { Client } from './client.ts';
import { disconnectClient } from './disconnect.ts';
import { Reason } from './reason-codes.ts';

/** How often silent clients are looked for: a timeout fires between 1.5 keepalives and that plus this. */
const SWEEP_MS = 500;

/** The clients with a keepalive, per broker, and the one timer that checks them. */
interface Watch {
  clients: Set<Client>;
  timer: NodeJS.Timeout;
}

const watches = new WeakMap<Broker, Watch>();

/**
 * Closes a client silent for one and a half keepalives (MQTT-3.1.2-24; 5.0 DISCONNECT 0x8D). One sweep timer per
 * broker instead of a timer and its closures per connection (what mosquitto's loop does too): an idle connection
 * then costs an entry in a Set. Closed clients leave the set at the next sweep; the timer stops when it is empty.
 */
export function watchKeepAlive(broker: Broker, client: Client): void {
  if (client.keepaliveSeconds === 0) return;
  let watch = watches.get(broker);
  if (!watch) {
    const clients = new Set<Client>();
    watch = { clients, timer: setInterval(broker.guarded('keepalive', () => sweep(broker, clients)), SWEEP_MS).unref() };
    watches.set(broker, watch);
  }
  watch.clients.add(client);
}

function sweep(broker: Broker, clients: Set<Client>): void {
  const now = Date.now();
  for (const client of clients) {
    if (client.state !== 'connected') {
      clients.delete(client);
      continue;
    }
    if (now - client.lastPacketAt < client.keepaliveSeconds * 1500) continue;
    clients.delete(client);
    broker.log.info('keepalive timeout', { clientId: client.clientId, keepalive: client.keepaliveSeconds });
    disconnectClient(client, Reason.KeepAliveTimeout, 'keep alive timeout');
  }
  if (clients.size === 0) {
    clearInterval(watches.get(broker)?.timer);
    watches.delete(broker);
  }
}
