/**
 * What a state listener may do at the moment `status` becomes `connected`: the client has finished re-subscribing
 * and resending by then, so a publish or subscribe made there goes out exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { MqttClient } from '../../src/client/client.ts';
import type { Packet, PublishPacket } from '../../src/codec/packets.ts';
import { settle } from './fakes.ts';
import { connected, harness, reconnected } from './harness.ts';

const text = (packet: PublishPacket) => new TextDecoder().decode(packet.payload);

/** Calls `onConnected` each time status becomes `connected` (as the demo's simulator does). */
function onConnected(client: MqttClient, run: () => void): void {
  let previous = client.state.getSnapshot().status;
  client.state.subscribe(() => {
    const status = client.state.getSnapshot().status;
    const was = previous;
    previous = status;
    if (status === 'connected' && was !== 'connected') run();
  });
}

/** How many PUBLISH packets were written per packet id. */
function publishesById(sent: Packet[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const packet of sent) {
    if (packet.type !== 'publish' || packet.packetId === undefined) continue;
    counts.set(packet.packetId, (counts.get(packet.packetId) ?? 0) + 1);
  }
  return counts;
}

describe('a state listener on connected', () => {
  for (const qos of [1, 2] as const) {
    it(`[MQTT-4.4.0-1] a QoS ${qos} publish it makes on a reconnect with session present is written once, after the resend`, async () => {
      const h = harness({ clean: false, protocolVersion: 4 });
      const first = await connected(h);
      void h.client.publish('t', 'inflight', { qos });
      first.drop();
      let announced: Promise<void> | undefined;
      onConnected(h.client, () => {
        announced = h.client.publish('t', 'announce', { qos });
      });
      const second = await reconnected(h, { sessionPresent: true });
      const published = second.ofType('publish');
      expect(published.map(text)).toEqual(['inflight', 'announce']);
      expect(published.map((p) => p.dup)).toEqual([true, false]);
      expect([...publishesById(second.sent).values()]).toEqual([1, 1]);

      // Its flow completes normally: nothing else is written for it.
      const id = published[1]!.packetId!;
      if (qos === 1) second.deliver({ type: 'puback', packetId: id });
      else {
        second.deliver({ type: 'pubrec', packetId: id });
        second.deliver({ type: 'pubcomp', packetId: id });
      }
      await expect(announced).resolves.toBeUndefined();
      expect(publishesById(second.sent).get(id)).toBe(1);
    });
  }

  it('a subscribe it makes sends one SUBSCRIBE (not one more when the client re-subscribes)', async () => {
    const h = harness();
    h.client.subscribe('early', () => {});
    onConnected(h.client, () => h.client.subscribe('late', () => {}));
    const done = h.client.connect();
    await settle();
    const connection = h.network.accept();
    await done;
    const filters = connection.sent.flatMap((p) => (p.type === 'subscribe' ? p.subscriptions.map((s) => s.filter) : []));
    expect(filters.sort()).toEqual(['early', 'late']);
  });

  it('5.0: subscriptions made before CONNACK carry identifiers, so a message tagged with one reaches them (the demo regression)', async () => {
    const h = harness({ protocolVersion: 5 });
    const device: string[] = [];
    const kind: string[] = [];
    h.client.subscribe('home/bedroom/thermostat/state', (m) => device.push(m.topic));
    const done = h.client.connect();
    await settle();
    const connection = h.network.accept({ properties: { subscriptionIdentifierAvailable: 1 } });
    await done;
    h.client.subscribe('home/+/thermostat/state', (m) => kind.push(m.topic));
    const ids = connection.ofType('subscribe').map((s) => s.properties?.subscriptionIdentifier?.[0]);
    expect(ids).toHaveLength(2);
    expect(ids).not.toContain(undefined);
    expect(new Set(ids).size).toBe(2);
    // A server sends one copy carrying both identifiers [MQTT-3.3.4-4]: each handler gets it once.
    connection.deliver({
      type: 'publish',
      topic: 'home/bedroom/thermostat/state',
      payload: new TextEncoder().encode('21.5'),
      qos: 0,
      retain: false,
      dup: false,
      properties: { subscriptionIdentifier: ids as number[] },
    });
    expect(device).toEqual(['home/bedroom/thermostat/state']);
    expect(kind).toEqual(['home/bedroom/thermostat/state']);
  });
});
