/** The state store in zustand's shape, and the client's state transitions as a UI sees them. */
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/client/state-store.ts';
import { settle } from './fakes.ts';
import { harness } from './harness.ts';

describe('createStore', () => {
  it('makes a new snapshot per change and notifies; an Object.is-equal patch changes nothing', () => {
    const store = createStore({ a: 1, b: NaN as number });
    const snapshots: unknown[] = [];
    const stop = store.subscribe(() => snapshots.push(store.getSnapshot()));
    const first = store.getSnapshot();
    store.set({ a: 1, b: NaN });
    expect(store.getSnapshot()).toBe(first);
    store.set({ a: 2 });
    expect(store.getSnapshot()).not.toBe(first);
    expect(store.getSnapshot()).toEqual({ a: 2, b: NaN });
    expect(first).toEqual({ a: 1, b: NaN });
    stop();
    store.set({ a: 3 });
    expect(snapshots).toHaveLength(1);
  });

  it('a listener that unsubscribes another during notification does not break the loop', () => {
    const store = createStore({ n: 0 });
    const calls: string[] = [];
    let stopB = () => {};
    store.subscribe(() => {
      calls.push('a');
      stopB();
    });
    stopB = store.subscribe(() => calls.push('b'));
    store.set({ n: 1 });
    store.set({ n: 2 });
    expect(calls).toEqual(['a', 'b', 'a']);
  });
});

describe('client state', () => {
  it('goes idle → connecting → connected → reconnecting → closed with one snapshot per change', async () => {
    const h = harness({ protocolVersion: 4 });
    const statuses: string[] = [];
    h.client.state.subscribe(() => {
      const status = h.client.state.getSnapshot().status;
      if (statuses.at(-1) !== status) statuses.push(status);
    });
    expect(h.client.state.getSnapshot().status).toBe('idle');
    void h.client.connect();
    await settle();
    h.network.accept();
    h.network.last.drop();
    await h.client.close();
    expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'closed']);
    expect(h.client.state.getSnapshot()).toMatchObject({ server: 'ws://broker.test/mqtt', queued: 0 });
  });
});
