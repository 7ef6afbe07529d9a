/** Reconnect: backoff with full jitter, reset after staying up, stops on close() and final refusals, fresh credentials. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionRefusedError } from '../../src/client/errors.ts';
import { Reconnect } from '../../src/client/reconnect.ts';
import { FakeClock, settle } from './fakes.ts';
import { connected, harness } from './harness.ts';

describe('Reconnect schedule', () => {
  it('grows by factor up to maxDelay, each delay a random share of the ceiling (full jitter)', () => {
    const clock = new FakeClock();
    const ceilings = new Reconnect(clock, { minDelay: 100, maxDelay: 1_000, factor: 3, random: () => 0.999_999 });
    expect(Array.from({ length: 6 }, () => ceilings.nextDelay())).toEqual([99, 299, 899, 999, 999, 999]);
    const low = new Reconnect(clock, { minDelay: 100, maxDelay: 1_000, factor: 3, random: () => 0 });
    expect(low.nextDelay()).toBe(0);
    const half = new Reconnect(clock, { minDelay: 100, maxDelay: 1_000, factor: 3, random: () => 0.5 });
    expect([half.nextDelay(), half.nextDelay()]).toEqual([50, 150]);
  });

  it('resets after a connection stayed up resetAfter ms, not before', () => {
    const clock = new FakeClock();
    const reconnect = new Reconnect(clock, { minDelay: 100, factor: 2, resetAfter: 5_000, random: () => 0.999_999 });
    reconnect.nextDelay();
    reconnect.nextDelay();
    reconnect.connected();
    clock.advance(4_999);
    reconnect.disconnected();
    expect(reconnect.nextDelay()).toBe(399);
    reconnect.connected();
    clock.advance(5_000);
    reconnect.disconnected();
    expect(reconnect.nextDelay()).toBe(99);
  });
});

describe('the client reconnecting', () => {
  it('retries after a drop on the backoff schedule, publishing status, attempt and nextRetryAt', async () => {
    const h = harness({ reconnect: { minDelay: 1_000, maxDelay: 8_000, random: () => 0.5 } });
    const first = await connected(h);
    first.drop();
    let state = h.client.state.getSnapshot();
    expect(state.status).toBe('reconnecting');
    expect(state.nextRetryAt).toBe(h.clock.now() + 500);
    expect(state.error?.code).toBe('CONNECTION_LOST');
    h.clock.advance(499);
    await settle();
    expect(h.network.connections).toHaveLength(1);
    h.clock.advance(1);
    await settle();
    expect(h.network.connections).toHaveLength(2);
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'connecting', attempt: 1 });
    // The attempt fails: the next delay doubles.
    h.network.last.drop();
    state = h.client.state.getSnapshot();
    expect(state.nextRetryAt).toBe(h.clock.now() + 1_000);
    h.clock.advance(1_000);
    await settle();
    h.network.accept();
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'connected', attempt: 0, error: undefined, nextRetryAt: undefined });
  });

  it('awaits credentials() before every attempt (a refreshed token each time)', async () => {
    let token = 0;
    const h = harness({ credentials: async () => ({ username: 'u', password: `token-${++token}` }) });
    const first = await connected(h);
    first.drop();
    h.clock.advance(1_000);
    await settle();
    h.network.last.open();
    const connect = h.network.last.ofType('connect')[0];
    expect(new TextDecoder().decode(connect?.password)).toBe('token-2');
    expect(connect?.username).toBe('u');
  });

  it('stops on close(): no timer left, status closed, pending publishes rejected', async () => {
    const h = harness();
    const first = await connected(h);
    first.drop();
    const pending = h.client.publish('t', 'x', { qos: 1 }).catch((error: unknown) => error);
    await h.client.close();
    expect(h.clock.pending).toEqual([]);
    h.clock.advance(120_000);
    await settle();
    expect(h.network.connections).toHaveLength(1);
    expect(h.client.state.getSnapshot().status).toBe('closed');
    expect(await pending).toMatchObject({ code: 'CLIENT_CLOSED' });
  });

  it.each([
    [4, 4, 0x86],
    [4, 5, 0x87],
    [5, 0x86, 0x86],
    [5, 0x87, 0x87],
  ] as const)('v%s CONNACK %s is final: connect() rejects with ConnectionRefusedError and no retry follows', async (protocolVersion, code, reason) => {
    const h = harness({ protocolVersion });
    const result = h.client.connect();
    await settle();
    h.network.accept({ reasonCode: code });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect((error as ConnectionRefusedError).reasonCode).toBe(reason);
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'idle', error });
    h.clock.advance(120_000);
    await settle();
    expect(h.network.connections).toHaveLength(1);
  });

  it('retries a final refusal when retryOnRefusal is set', async () => {
    const h = harness({ protocolVersion: 4, retryOnRefusal: true });
    void h.client.connect();
    await settle();
    h.network.accept({ reasonCode: 4 });
    expect(h.client.state.getSnapshot().status).toBe('reconnecting');
    h.clock.advance(1_000);
    await settle();
    expect(h.network.connections).toHaveLength(2);
  });

  it('5.0 DISCONNECT 0x8E three times within two minutes stops reconnecting: two clients share one id', async () => {
    const h = harness({ reconnect: { minDelay: 1_000, maxDelay: 1_000, random: () => 0.999 } });
    let connection = await connected(h);
    for (let takeover = 1; takeover <= 3; takeover++) {
      connection.deliver({ type: 'disconnect', reasonCode: 0x8e });
      if (takeover === 3) break;
      // Once or twice may be a cluster failing over (ejabberd sends it): reconnect.
      expect(h.client.state.getSnapshot().status).toBe('reconnecting');
      h.clock.advance(1_000);
      await settle();
      h.network.accept();
      connection = h.network.last;
    }
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'idle', error: { code: 'CONNECTION_LOST', reasonCode: 0x8e } });
    expect(h.client.state.getSnapshot().error?.message).toMatch(/session taken over/);
    h.clock.advance(120_000);
    await settle();
    expect(h.network.connections).toHaveLength(3);
    // connect() takes the session back when the user asks for it.
    void h.client.connect();
    await settle();
    expect(h.network.connections).toHaveLength(4);
  });

  it('5.0 DISCONNECT 0x8E is retried when takeovers are two minutes apart, with retryOnRefusal, and for other reasons', async () => {
    const spaced = harness({ reconnect: { minDelay: 1_000, maxDelay: 1_000, random: () => 0.999 } });
    let connection = await connected(spaced);
    for (let takeover = 1; takeover <= 4; takeover++) {
      connection.deliver({ type: 'disconnect', reasonCode: 0x8e });
      expect(spaced.client.state.getSnapshot().status).toBe('reconnecting');
      spaced.clock.advance(60_000);
      await settle();
      spaced.network.accept();
      connection = spaced.network.last;
    }
    for (const [reasonCode, options] of [[0x8e, { retryOnRefusal: true }], [0x8b, {}]] as const) {
      const h = harness(options);
      for (let lost = 1; lost <= 3; lost++) {
        const current = lost === 1 ? await connected(h) : h.network.last;
        current.deliver({ type: 'disconnect', reasonCode });
        expect(h.client.state.getSnapshot().status).toBe('reconnecting');
        h.clock.advance(60_000);
        await settle();
        h.network.accept();
      }
    }
  });

  it('retries "server unavailable" (3) on its own', async () => {
    const h = harness({ protocolVersion: 4 });
    void h.client.connect();
    await settle();
    h.network.accept({ reasonCode: 3 });
    expect(h.client.state.getSnapshot().error).toMatchObject({ reasonCode: 0x88, returnCode: 3 });
    h.clock.advance(1_000);
    await settle();
    expect(h.network.connections).toHaveLength(2);
  });

  it('gives up an attempt when no CONNACK comes within connectTimeout', async () => {
    const h = harness({ connectTimeout: 5_000 });
    void h.client.connect();
    await settle();
    h.network.last.open();
    h.clock.advance(5_000);
    expect(h.network.last.closed).toBe(true);
    expect(h.client.state.getSnapshot().error?.code).toBe('TIMEOUT');
  });

  it('tries the servers in turn', async () => {
    const h = harness({ url: undefined, servers: ['ws://a', 'ws://b'] } as never);
    void h.client.connect();
    await settle();
    h.network.last.drop();
    h.clock.advance(1_000);
    await settle();
    expect(h.network.connections.map((c) => c.options.url)).toEqual(['ws://a', 'ws://b']);
  });

  it('with reconnect: false, a lost connection leaves the client idle', async () => {
    const h = harness({ reconnect: false });
    const first = await connected(h);
    first.drop();
    expect(h.client.state.getSnapshot().status).toBe('idle');
    expect(h.clock.pending).toEqual([]);
  });

  describe('when the browser reports no network', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('waits in status offline with no timer, and tries at once on the online event', async () => {
      const events = new EventTarget();
      const online = { onLine: true };
      vi.stubGlobal('navigator', online);
      vi.stubGlobal('addEventListener', events.addEventListener.bind(events));
      vi.stubGlobal('removeEventListener', events.removeEventListener.bind(events));
      const h = harness({ keepalive: 0 });
      const first = await connected(h);
      online.onLine = false;
      first.drop();
      expect(h.client.state.getSnapshot()).toMatchObject({ status: 'offline', nextRetryAt: undefined });
      expect(h.clock.pending).toEqual([]);
      online.onLine = true;
      events.dispatchEvent(new Event('online'));
      await settle();
      expect(h.network.connections).toHaveLength(2);
      expect(h.client.state.getSnapshot().status).toBe('connecting');
      await h.client.close();
    });
  });
});
