import type { UnsubscribePacket } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { Reason } from '../reason-codes.ts';

/** UNSUBSCRIBE: remove each filter and answer UNSUBACK (5.0: 0x00 or 0x11 per filter, MQTT-3.11.3-1). */
export function handleUnsubscribe(client: Client, packet: UnsubscribePacket): void {
  const broker = client.broker;
  const session = client.session!;
  const reasonCodes = broker.store.transaction(() =>
    packet.filters.map((filter) => {
      const existed = broker.router.remove(session, filter);
      if (existed) session.deleteSubscription(filter);
      return existed ? Reason.Success : Reason.NoSubscriptionExisted;
    }),
  );
  client.send({ type: 'unsuback', packetId: packet.packetId, reasonCodes: client.protocolVersion === 5 ? reasonCodes : [] });
}
