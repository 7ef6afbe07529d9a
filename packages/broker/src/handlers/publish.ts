import { ProtocolError, topicNameProblem, type PublishPacket } from '@mqttkit/core';
import type { Client } from '../client.ts';
import { Reason } from '../reason-codes.ts';
import { forwardedProperties, type BrokerMessage } from '../message.ts';
import { acknowledgeWhenRoom, heldPubacks, routeCollectingOverflows } from '../publish-flow.ts';

/**
 * An application message from a client: resolve its topic alias, check it, authorize it, store/clear the retained
 * copy, route it, and acknowledge (PUBACK for QoS 1, PUBREC for QoS 2) only after the routing was written through.
 */
export function handlePublish(client: Client, packet: PublishPacket): void | Promise<void> {
  const broker = client.broker;
  const topic = resolveTopic(client, packet);
  broker.stats.messagesReceived++;

  if (packet.qos === 2 && client.session!.inboundQos2.has(packet.packetId!)) {
    // MQTT-4.3.3-10: a resent QoS 2 PUBLISH we already own: acknowledge again, do not route twice.
    client.send({ type: 'pubrec', packetId: packet.packetId! });
    return;
  }
  if (receiveMaximumFull(client, packet)) {
    throw new ProtocolError(`more than ${broker.limits.receiveMaximum} QoS 1/2 messages not acknowledged yet: the Receive Maximum of CONNACK`, Reason.ReceiveMaximumExceeded);
  }
  const overLimit = broker.knownTopics.has(topic) ? undefined : broker.topicLimitProblem(topic);
  if (overLimit) {
    acknowledge(client, packet, Reason.TopicNameInvalid, overLimit);
    return;
  }
  const hook = broker.hooks.authorizePublish;
  if (!hook) {
    accept(client, packet, topic);
    return;
  }
  return authorize(client, packet, topic, hook);
}

/**
 * MQTT-3.3.4-7: a 5.0 client may have at most the broker's Receive Maximum QoS 1/2 PUBLISHes unacknowledged:
 * QoS 2 until PUBCOMP, QoS 1 while its PUBACK is held for a full subscriber (publish-flow.ts). 3.1.1 has no
 * Receive Maximum; the same limit only bounds the QoS 2 ids the session keeps for it.
 */
function receiveMaximumFull(client: Client, packet: PublishPacket): boolean {
  if (packet.qos === 0) return false;
  const limit = client.broker.limits.receiveMaximum;
  const awaitingPubrel = client.session!.inboundQos2.size;
  if (client.protocolVersion === 4) return packet.qos === 2 && awaitingPubrel >= limit;
  return awaitingPubrel + heldPubacks(client) >= limit;
}

async function authorize(client: Client, packet: PublishPacket, topic: string, hook: NonNullable<Client['broker']['hooks']['authorizePublish']>): Promise<void> {
  let allowed: boolean;
  try {
    allowed = await hook(client, { topic, payload: packet.payload, qos: packet.qos, retain: packet.retain });
  } catch (error) {
    client.broker.log.error('authorizePublish hook failed', { clientId: client.clientId, topic, error: String(error) });
    allowed = false;
  }
  if (client.state !== 'connected') return;
  if (allowed) accept(client, packet, topic);
  else {
    client.broker.log.info('publish refused', { clientId: client.clientId, username: client.username, topic });
    acknowledge(client, packet, Reason.NotAuthorized, 'not authorized');
  }
}

function accept(client: Client, packet: PublishPacket, topic: string): void {
  const broker = client.broker;
  broker.rememberTopic(topic);
  // Decoded payloads are views into the read buffer; a message that may outlive this turn gets its own copy.
  const payload = packet.qos > 0 || packet.retain ? packet.payload.slice() : packet.payload;
  const message: BrokerMessage = { topic, payload, qos: packet.qos, retain: packet.retain, publisherId: client.clientId };
  const properties = forwardedProperties(packet.properties);
  if (properties) message.properties = properties;
  const expiry = packet.properties?.messageExpiryInterval;
  if (expiry !== undefined) message.expiresAt = Date.now() + expiry * 1000;
  const session = client.session!;
  const { result: deliveries, overflowed } = routeCollectingOverflows(client, () =>
    broker.store.transaction(() => {
      const count = broker.publishMessage(message, client);
      if (packet.qos === 2) session.addInboundQos2(packet.packetId!);
      return count;
    }),
  );
  // A persistent subscriber's full queue holds the acknowledgement (and so the publisher) until it has room.
  acknowledgeWhenRoom(client, packet.qos === 2 ? 2 : 1, overflowed, broker.limits.maxAckHoldMs, () =>
    acknowledge(client, packet, deliveries === 0 ? Reason.NoMatchingSubscribers : Reason.Success),
  );
}

/** PUBACK/PUBREC with a 5.0 reason code; at 3.1.1 a refusal is a silent drop acknowledged as usual. */
function acknowledge(client: Client, packet: PublishPacket, reasonCode: number, reasonString?: string): void {
  if (packet.qos === 0) return;
  const type = packet.qos === 1 ? 'puback' : 'pubrec';
  if (client.protocolVersion === 4 || reasonCode === Reason.Success) {
    client.send({ type, packetId: packet.packetId! });
    return;
  }
  client.send(reasonString && client.problemInformation ? { type, packetId: packet.packetId!, reasonCode, properties: { reasonString } } : { type, packetId: packet.packetId!, reasonCode });
}

/** 5.0 topic aliases (MQTT-3.3.2-7..-12), then the topic name rules (MQTT-4.7.3-1 and friends). */
function resolveTopic(client: Client, packet: PublishPacket): string {
  let topic = packet.topic;
  const alias = packet.properties?.topicAlias;
  if (alias !== undefined) {
    if (alias === 0 || alias > client.broker.limits.topicAliasMaximum) {
      throw new ProtocolError(`topic alias ${alias} is outside 1..${client.broker.limits.topicAliasMaximum}`, Reason.TopicAliasInvalid);
    }
    if (topic === '') {
      const known = client.inAliases.get(alias);
      if (known === undefined) throw new ProtocolError(`topic alias ${alias} was never set on this connection`, Reason.ProtocolError);
      topic = known;
    } else {
      client.inAliases.set(alias, topic);
    }
  }
  if (client.broker.knownTopics.has(topic)) return topic;
  const problem = topicNameProblem(topic);
  if (problem) throw new ProtocolError(`topic name: ${problem}`, Reason.TopicNameInvalid);
  return topic;
}
