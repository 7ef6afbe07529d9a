import { parseSharedSubscription } from '@mqttkit/core/topics';
import type { Broker } from './broker.ts';
import { Session } from './session.ts';
import { restoreWills } from './will.ts';

/**
 * Start-up: rebuild sessions, subscriptions, queued and in-flight messages and retained messages from the store.
 * A session that was connected when the broker died counts as disconnected now; expired ones are dropped. Wills
 * owed by connections that died with the broker are published or delayed as `restoreWills` says.
 */
export function restoreState(broker: Broker): void {
  const state = broker.store.load();
  const now = Date.now();
  broker.store.transaction(() => {
    for (const stored of state.sessions) {
      const session = new Session(stored.clientId, stored.expiryInterval, broker.store);
      session.stored = true;
      session.disconnectedAt = stored.disconnectedAt ?? now;
      session.owner = { clientId: stored.clientId, username: stored.username, remoteAddress: 'unknown', protocolVersion: 4 };
      broker.sessions.set(stored.clientId, session);
      for (const subscription of stored.subscriptions) {
        broker.router.add({ session, subscription }, parseSharedSubscription(subscription.filter));
      }
      for (const message of stored.messages) {
        session.restoreSeq(message.seq);
        if (message.state === 'queued') session.queue.push(message);
        else session.inflight.set(message.packetId!, message);
      }
      for (const packetId of stored.inboundQos2) session.inboundQos2.add(packetId);
      const remaining = session.disconnectedAt + stored.expiryInterval * 1000 - now;
      if (remaining <= 0 && stored.expiryInterval !== 0xffffffff) broker.endSession(session);
      else {
        session.saveRow();
        broker.scheduleExpiry(session, remaining);
      }
    }
    for (const message of state.retained) {
      if (message.expiresAt !== undefined && message.expiresAt <= now) broker.store.deleteRetained(message.topic);
      else broker.retained.restore(message);
    }
    // Last: a will due now is routed to the sessions and retained messages just restored.
    restoreWills(broker, state.wills);
  });
  if (state.sessions.length > 0 || state.retained.length > 0 || state.wills.length > 0) {
    broker.log.info('state restored', { sessions: broker.sessions.size, retained: broker.retained.size, wills: state.wills.length });
  }
}
