import { describe, expect, it } from 'vitest';
import { createTopicStore, keyOf } from '../src/topic-store.ts';
import { FakeClient } from './fakes.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve));

describe('topic store release', () => {
  it('a second release queued before a re-subscription does not drop the new entry (no duplicate SUBSCRIBE, no leak)', async () => {
    const client = new FakeClient();
    const store = createTopicStore(client, () => {});
    const key = keyOf('t', {});
    // Release, re-listen and release again in one task: two deferred releases of the same entry are queued...
    store.listen(key, () => {})();
    // ...and between them a component subscribes again (a microtask React ran between the two).
    let releaseLate!: () => void;
    queueMicrotask(() => (releaseLate = store.listen(key, () => {})));
    store.listen(key, () => {})();
    await settle();
    expect(client.subscribed).toEqual(['t', 't']);
    expect(client.unsubscribed).toEqual(['t']);

    // The live subscription is still the shared one: another listener does not call client.subscribe a third time
    // (the fake ref-counts like core, so `subscribed` alone would not show it).
    const received: string[] = [];
    const releaseOther = store.listen(key, (m) => received.push(m.topic));
    client.emit('t', 'x');
    expect(client.subscribeCalls).toBe(2);
    expect(received).toEqual(['t']);

    releaseLate();
    releaseOther();
    await settle();
    expect(client.unsubscribed).toEqual(['t', 't']);
  });
});
