import type { Broker } from './broker.ts';
import type { Client } from './client.ts';
import type { BrokerMessage } from './message.ts';
import type { Session } from './session.ts';

/**
 * A connection ended without a normal DISCONNECT: publish its will now, or after the 5.0 will delay
 * (MQTT-3.1.3-9: min(delay, session expiry)) unless the session resumes first.
 */
export function scheduleWill(broker: Broker, client: Client, session: Session): void {
  const will = client.will!;
  const delay = client.protocolVersion === 5 ? will.properties?.willDelayInterval ?? 0 : 0;
  if (delay === 0 || session.expiryInterval === 0) {
    void publishWill(broker, client);
    return;
  }
  session.pendingWill = client;
  session.willTimer = setTimeout(
    broker.guarded('will delay', () => {
      session.pendingWill = undefined;
      if (!session.client) void publishWill(broker, client);
    }),
    Math.min(delay, session.expiryInterval) * 1000,
  ).unref();
}

/** Publishes a will as its client would have: authorized like a PUBLISH, retained if asked, properties kept. */
export async function publishWill(broker: Broker, client: Client): Promise<void> {
  const will = client.will!;
  try {
    const hook = broker.hooks.authorizePublish;
    if (hook && !(await hook(client, { topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain }))) {
      broker.log.info('will refused', { clientId: client.clientId, topic: will.topic });
      return;
    }
    const message: BrokerMessage = { topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain, publisherId: client.clientId };
    const { willDelayInterval: _delay, messageExpiryInterval: expiry, ...properties } = will.properties ?? {};
    if (Object.keys(properties).length > 0) message.properties = properties;
    if (expiry !== undefined) message.expiresAt = Date.now() + expiry * 1000;
    broker.log.info('will published', { clientId: client.clientId, topic: will.topic });
    broker.store.transaction(() => broker.publishMessage(message, client));
  } catch (error) {
    broker.log.error('will failed', { clientId: client.clientId, error: String(error) });
  }
}
