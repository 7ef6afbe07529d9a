/** 5.0 request/response: response topic + correlation data, matched replies, timeout. */
import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/client/errors.ts';
import type { PublishPacket } from '../../src/codec/packets.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { settle } from './fakes.ts';
import { connected, harness } from './harness.ts';

describe('request()', () => {
  it('[MQTT-4.10.0-1] subscribes to the response topic first, then publishes with response topic and correlation data; resolves with the matching reply', async () => {
    const h = harness();
    const connection = await connected(h);
    const reply = h.client.request('svc/time', 'now?', { qos: 1, timeout: 5_000 });
    const [subscribe] = connection.ofType('subscribe');
    expect(connection.ofType('publish')).toHaveLength(0);
    connection.deliver({ type: 'suback', packetId: subscribe!.packetId, reasonCodes: [0] });
    await settle();
    const [request] = connection.ofType('publish');
    const responseTopic = request!.properties!.responseTopic!;
    expect(responseTopic).toBe(subscribe!.subscriptions[0]!.filter);
    const correlationData = request!.properties!.correlationData!;
    const answer = (data: Uint8Array, payload: string): PublishPacket => ({
      type: 'publish', topic: responseTopic, payload: new TextEncoder().encode(payload), qos: 0, retain: false, dup: false,
      properties: { correlationData: data },
    });
    connection.deliver(answer(new TextEncoder().encode('someone-else'), 'wrong'));
    connection.deliver(answer(correlationData, '12:00'));
    const message = await reply;
    expect(new TextDecoder().decode(message.payload)).toBe('12:00');
  });

  it('two concurrent requests get their own replies over one subscription', async () => {
    const h = harness();
    const connection = await connected(h);
    const first = h.client.request('svc', 'a');
    const second = h.client.request('svc', 'b');
    expect(connection.ofType('subscribe')).toHaveLength(1);
    connection.deliver({ type: 'suback', packetId: connection.ofType('subscribe')[0]!.packetId, reasonCodes: [0] });
    await settle();
    const [ra, rb] = connection.ofType('publish');
    const reply = (request: PublishPacket, text: string): PublishPacket => ({
      type: 'publish', topic: request.properties!.responseTopic!, payload: new TextEncoder().encode(text), qos: 0, retain: false, dup: false,
      properties: { correlationData: request.properties!.correlationData! },
    });
    connection.deliver(reply(rb!, 'B'));
    connection.deliver(reply(ra!, 'A'));
    expect([new TextDecoder().decode((await first).payload), new TextDecoder().decode((await second).payload)]).toEqual(['A', 'B']);
    h.clock.advance(0);
    expect(connection.ofType('unsubscribe')).toHaveLength(1);
  });

  it('rejects with TimeoutError when nothing answers in time, and leaves the response topic', async () => {
    const h = harness();
    const connection = await connected(h);
    const reply = h.client.request('svc', 'x', { timeout: 1_000 }).catch((e: unknown) => e);
    connection.deliver({ type: 'suback', packetId: connection.ofType('subscribe')[0]!.packetId, reasonCodes: [0] });
    h.clock.advance(1_000);
    const error = await reply;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toMatch(/within 1000 ms/);
    h.clock.advance(0);
    expect(connection.ofType('unsubscribe')).toHaveLength(1);
  });

  it('needs MQTT 5.0', async () => {
    const h = harness({ protocolVersion: 4 });
    await expect(h.client.request('svc', 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
