/**
 * 5.0 server references (0x9C use another server, 0x9D server moved) on DISCONNECT of a live connection, and the
 * bound on references followed in a row. CONNACK references against real brokers: test/interop/server-reference.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { settle } from './fakes.ts';
import { connected, harness } from './harness.ts';

describe('server reference on DISCONNECT', () => {
  it('0x9D with a reference while connected: the next connection goes there at once, keeping scheme and path', async () => {
    const h = harness({ followServerReference: true });
    const connection = await connected(h);
    connection.deliver({ type: 'disconnect', reasonCode: 0x9d, properties: { serverReference: 'moved.test:9443' } });
    await settle();
    expect(h.network.connections.map((c) => c.options.url)).toEqual(['ws://broker.test/mqtt', 'ws://moved.test:9443/mqtt']);
    h.network.accept();
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'connected', server: 'ws://moved.test:9443/mqtt' });
  });

  it('without followServerReference: the DISCONNECT reason shows and the client reconnects to its own server after the backoff', async () => {
    const h = harness();
    const connection = await connected(h);
    connection.deliver({ type: 'disconnect', reasonCode: 0x9c, properties: { serverReference: 'other.test' } });
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'reconnecting', error: { code: 'CONNECTION_LOST', reasonCode: 0x9c } });
    h.clock.advance(60_000);
    await settle();
    expect(h.network.connections.map((c) => c.options.url)).toEqual(['ws://broker.test/mqtt', 'ws://broker.test/mqtt']);
  });

  it('the count of references in a row starts over after a server accepts the client', async () => {
    const h = harness({ followServerReference: true, reconnect: false });
    void h.client.connect();
    for (let hop = 1; hop <= 5; hop++) {
      await settle();
      h.network.accept({ reasonCode: 0x9c, properties: { serverReference: `hop${hop}.test` } });
    }
    await settle();
    const accepted = h.network.accept();
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'connected', server: 'ws://hop5.test/mqtt' });
    // Five more references are followed again (a sixth in a row would end it with reconnect off).
    accepted.deliver({ type: 'disconnect', reasonCode: 0x9c, properties: { serverReference: 'again.test' } });
    await settle();
    expect(h.network.last.options.url).toBe('ws://again.test/mqtt');
  });
});
