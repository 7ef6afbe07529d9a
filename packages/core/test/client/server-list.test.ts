/**
 * A list of servers (a cluster's nodes): tried in order, the next one at once after a failure, with the backoff
 * between rounds; the server in use shown in the state. Against real clusters: test/interop/ejabberd-cluster.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { settle } from './fakes.ts';
import { connected, harness } from './harness.ts';

const servers = ['ws://a/mqtt', 'ws://b/mqtt', 'ws://c/mqtt'];
const list = (options = {}) =>
  harness({ url: undefined, servers, reconnect: { minDelay: 1_000, maxDelay: 8_000, random: () => 1 }, ...options } as never);

describe('a server list', () => {
  it('after losing its server, tries the next one at once and shows it in state.server', async () => {
    const h = list();
    const first = await connected(h);
    expect(h.client.state.getSnapshot().server).toBe('ws://a/mqtt');
    first.drop();
    h.clock.advance(0);
    await settle();
    expect(h.network.connections.map((c) => c.options.url)).toEqual(['ws://a/mqtt', 'ws://b/mqtt']);
    h.network.accept();
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'connected', server: 'ws://b/mqtt' });
  });

  it('backs off only once every server of a round failed', async () => {
    const h = list();
    void h.client.connect();
    await settle();
    h.network.last.drop(); // a fails
    h.clock.advance(0);
    await settle();
    h.network.last.drop(); // b fails
    h.clock.advance(0);
    await settle();
    expect(h.network.connections).toHaveLength(3);
    h.network.last.drop(); // c fails: the round is over
    expect(h.client.state.getSnapshot().nextRetryAt).toBe(h.clock.now() + 1_000);
    h.clock.advance(999);
    await settle();
    expect(h.network.connections).toHaveLength(3);
    h.clock.advance(1);
    await settle();
    expect(h.network.connections.map((c) => c.options.url)).toEqual([...servers, 'ws://a/mqtt']);
  });

  it('refusals that are not final do not loop without backoff', async () => {
    const h = list();
    void h.client.connect();
    await settle();
    for (let i = 0; i < 3; i++) {
      h.network.accept({ reasonCode: 0x88 }); // server unavailable: retried
      h.clock.advance(0);
      await settle();
    }
    expect(h.network.connections).toHaveLength(3);
    expect(h.client.state.getSnapshot().status).toBe('reconnecting');
  });

  it('close() cancels the immediate try of the next server', async () => {
    const h = list();
    const first = await connected(h);
    first.drop();
    await h.client.close();
    h.clock.advance(0);
    await settle();
    expect(h.network.connections).toHaveLength(1);
    expect(h.client.state.getSnapshot().status).toBe('closed');
    expect(h.clock.pending).toEqual([]);
  });

  it('a SUBSCRIBE cut off before its SUBACK is sent again on the next server, even one that reports a session', async () => {
    // A session outliving the connection, so reconnects ask to resume it and Session Present 1 is a valid answer.
    const h = list({ sessionExpiryInterval: 600 });
    const a = await connected(h);
    const handle = h.client.subscribe('t/#', () => {}, { qos: 1 });
    const [subscribe] = a.ofType('subscribe');
    a.deliver({ type: 'suback', packetId: subscribe!.packetId, reasonCodes: [1] });
    await handle.ready;
    a.drop();
    h.clock.advance(0);
    await settle();
    const b = h.network.accept({ sessionPresent: false });
    expect(b.ofType('subscribe')).toHaveLength(1);
    b.drop(); // before its SUBACK: the server may never have seen that SUBSCRIBE
    h.clock.advance(0);
    await settle();
    const c = h.network.accept({ sessionPresent: true });
    expect(c.ofType('subscribe').map((packet) => packet.subscriptions[0]?.filter)).toEqual(['t/#']);
  });
});
