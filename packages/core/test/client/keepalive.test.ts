/** Keepalive against a clock: pings when due however late the timer fires, checks on wake-ups, detects dead links. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeepAlive } from '../../src/client/keepalive.ts';
import { FakeClock, settle } from './fakes.ts';
import { connected, harness } from './harness.ts';

function keepalive(timeout?: number) {
  const clock = new FakeClock();
  const log: string[] = [];
  const k = new KeepAlive(clock, () => log.push(`ping@${clock.now() - 1_000_000}`), () => log.push(`dead@${clock.now() - 1_000_000}`), timeout);
  return { clock, log, k };
}

describe('KeepAlive', () => {
  it('[MQTT-3.1.2-23] pings once the interval passes with nothing sent, and not while traffic flows', () => {
    const { clock, log, k } = keepalive();
    k.start(10);
    clock.advance(5_000);
    k.sent();
    k.received();
    clock.advance(9_999);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toEqual(['ping@15000']);
  });

  it('pings when only the inbound side is quiet too (a half-open link shows up)', () => {
    const { clock, log, k } = keepalive();
    k.start(10);
    for (let i = 0; i < 4; i++) {
      clock.advance(3_000);
      k.sent();
    }
    expect(log).toEqual(['ping@10000']);
  });

  it('a timer firing minutes late (throttled tab) pings at once, then declares the link dead if no answer comes', () => {
    const { clock, log, k } = keepalive(5_000);
    k.start(30);
    clock.jump(90_000);
    clock.fireDue();
    expect(log).toEqual(['ping@90000']);
    clock.advance(4_999);
    expect(log).toHaveLength(1);
    clock.advance(1);
    expect(log).toEqual(['ping@90000', 'dead@95000']);
  });

  it('a PINGRESP (any packet) in time keeps it alive and re-arms the next ping', () => {
    const { clock, log, k } = keepalive(5_000);
    k.start(10);
    clock.advance(10_000);
    clock.advance(1_000);
    k.received();
    clock.advance(8_999);
    expect(log).toEqual(['ping@10000']);
    clock.advance(1);
    // Due keepalive seconds after the last send, the ping itself.
    expect(log).toEqual(['ping@10000', 'ping@20000']);
  });

  it('a clock that jumps past the ping deadline while a ping is out ends the connection at the next check', () => {
    const { clock, log, k } = keepalive(5_000);
    k.start(10);
    clock.advance(10_000);
    clock.jump(60_000);
    k.check();
    expect(log).toEqual(['ping@10000', 'dead@70000']);
  });

  it('stop() removes the timer; keepalive 0 disables it', () => {
    const { clock, log, k } = keepalive();
    k.start(10);
    k.stop();
    clock.jump(60_000);
    k.check();
    expect(clock.pending).toEqual([]);
    k.start(0);
    clock.advance(60_000);
    expect(log).toEqual([]);
  });
});

describe('keepalive in the client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** The page's window as the client sees it: `visibilitychange` bubbles up to it from the document. */
  function stubWindow(): EventTarget {
    const events = new EventTarget();
    vi.stubGlobal('addEventListener', events.addEventListener.bind(events));
    vi.stubGlobal('removeEventListener', events.removeEventListener.bind(events));
    return events;
  }

  it('checks at once on visibilitychange and online, without waiting for the throttled timer; not after close()', async () => {
    const events = stubWindow();
    const h = harness({ keepalive: 10 });
    const connection = await connected(h);
    h.clock.jump(12_000);
    events.dispatchEvent(new Event('visibilitychange'));
    expect(connection.ofType('pingreq')).toHaveLength(1);
    connection.deliver({ type: 'pingresp' });
    h.clock.jump(12_000);
    events.dispatchEvent(new Event('online'));
    expect(connection.ofType('pingreq')).toHaveLength(2);
    await h.client.close();
    h.clock.jump(60_000);
    events.dispatchEvent(new Event('visibilitychange'));
    events.dispatchEvent(new Event('online'));
    expect(connection.ofType('pingreq')).toHaveLength(2);
    expect(h.network.connections).toHaveLength(1);
  });

  it('[MQTT-3.1.2-24] sends PINGREQ on the server keepalive (5.0) and reconnects when no PINGRESP comes', async () => {
    const h = harness({ keepalive: 60, pingTimeout: 2_000 });
    const connection = await connected(h, { properties: { serverKeepAlive: 5 } });
    h.clock.advance(5_000);
    expect(connection.ofType('pingreq')).toHaveLength(1);
    connection.deliver({ type: 'pingresp' });
    h.clock.advance(5_000);
    expect(connection.ofType('pingreq')).toHaveLength(2);
    h.clock.advance(2_000);
    expect(connection.closed).toBe(true);
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'reconnecting', error: { code: 'TIMEOUT' } });
    await settle();
  });

  it('a hidden tab whose timers fire a minute late: the late timer pings at once, and a dead link is found at the next one', async () => {
    const h = harness({ keepalive: 30, pingTimeout: 5_000 });
    const connection = await connected(h);
    // Throttled: nothing fires for 90 s, then the overdue timer runs.
    h.clock.jump(90_000);
    h.clock.fireDue();
    expect(connection.ofType('pingreq')).toHaveLength(1);
    // Still throttled: the ping-timeout timer also fires late, and the connection is declared dead then.
    h.clock.jump(60_000);
    h.clock.fireDue();
    expect(connection.closed).toBe(true);
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'reconnecting', error: { code: 'TIMEOUT' } });
    await settle();
  });
});
