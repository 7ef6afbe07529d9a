import { ProtocolError, parseSharedSubscription, topicFilterProblem, type QoS, type SubscribePacket, type Subscription } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { Reason } from '../reason-codes.ts';
import type { StoredSubscription } from '../store/types.ts';

interface Decision {
  subscription: Subscription;
  share: { group: string; filter: string } | undefined;
  /** Granted QoS (0-2) or a failure reason code (>= 0x80). */
  code: number;
}

/**
 * SUBSCRIBE: check and authorize each filter, store the granted ones, answer SUBACK with one code per filter
 * (MQTT-3.8.4-6), then send matching retained messages as the retain handling option says (MQTT-3.3.1-9/10/11).
 */
export function handleSubscribe(client: Client, packet: SubscribePacket): void | Promise<void> {
  const decisions = packet.subscriptions.map((subscription) => check(client, subscription));
  if (!client.broker.hooks.authorizeSubscribe) {
    apply(client, packet, decisions);
    return;
  }
  return authorizeAll(client, packet, decisions);
}

function check(client: Client, subscription: Subscription): Decision {
  const v5 = client.protocolVersion === 5;
  const share = parseSharedSubscription(subscription.filter);
  if (share && subscription.noLocal) throw new ProtocolError('no local on a shared subscription', Reason.ProtocolError); // MQTT-3.8.3-4
  const problem = topicFilterProblem(subscription.filter) ?? client.broker.topicLimitProblem(share?.filter ?? subscription.filter);
  if (problem) {
    client.broker.log.info('subscription refused', { clientId: client.clientId, filter: subscription.filter, reason: problem });
    return { subscription, share, code: v5 ? Reason.TopicFilterInvalid : 0x80 };
  }
  return { subscription, share, code: subscription.qos };
}

async function authorizeAll(client: Client, packet: SubscribePacket, decisions: Decision[]): Promise<void> {
  const hook = client.broker.hooks.authorizeSubscribe!;
  for (const decision of decisions) {
    if (decision.code >= 0x80) continue;
    let verdict: boolean | QoS;
    try {
      verdict = await hook(client, { filter: decision.subscription.filter, qos: decision.subscription.qos });
    } catch (error) {
      client.broker.log.error('authorizeSubscribe hook failed', { clientId: client.clientId, error: String(error) });
      verdict = false;
    }
    if (verdict === false) {
      client.broker.log.info('subscription refused', { clientId: client.clientId, username: client.username, filter: decision.subscription.filter, reason: 'not authorized' });
      decision.code = client.protocolVersion === 5 ? Reason.NotAuthorized : 0x80;
    } else if (verdict !== true) decision.code = Math.min(decision.code, verdict);
  }
  if (client.state === 'connected') apply(client, packet, decisions);
}

function apply(client: Client, packet: SubscribePacket, decisions: Decision[]): void {
  const broker = client.broker;
  const session = client.session!;
  const subscriptionId = packet.properties?.subscriptionIdentifier?.[0];
  const fresh: boolean[] = [];
  broker.store.transaction(() => {
    for (const decision of decisions) {
      if (decision.code >= 0x80) continue;
      const sub = decision.subscription;
      // Replacing a subscription is always allowed; a new one only below the limit (bounded trie and session).
      if (!session.subscriptions.has(sub.filter) && session.subscriptions.size >= broker.limits.maxSubscriptionsPerClient) {
        broker.log.info('subscription refused', { clientId: client.clientId, filter: sub.filter, reason: `more than ${broker.limits.maxSubscriptionsPerClient} subscriptions` });
        decision.code = client.protocolVersion === 5 ? Reason.QuotaExceeded : 0x80;
        continue;
      }
      const stored: StoredSubscription = {
        filter: sub.filter,
        qos: decision.code as QoS,
        noLocal: sub.noLocal ?? false,
        retainAsPublished: sub.retainAsPublished ?? false,
        retainHandling: sub.retainHandling ?? 0,
      };
      if (subscriptionId !== undefined) stored.subscriptionId = subscriptionId;
      fresh.push(!session.subscriptions.has(sub.filter));
      broker.router.add({ session, subscription: stored }, decision.share);
      session.saveSubscription(stored);
    }
  });
  client.send({ type: 'suback', packetId: packet.packetId, reasonCodes: decisions.map((d) => d.code) });
  let index = 0;
  for (const decision of decisions) {
    if (decision.code >= 0x80) continue;
    const isNew = fresh[index++]!;
    const handling = decision.subscription.retainHandling ?? 0;
    // Shared subscriptions never get retained messages (MQTT 5.0 4.8.2).
    if (decision.share || handling === 2 || (handling === 1 && !isNew)) continue;
    broker.deliverRetained(session, decision.subscription.filter, decision.code as QoS, subscriptionId);
  }
}
