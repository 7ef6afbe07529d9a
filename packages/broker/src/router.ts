import { TopicTrie } from '@mqttkit/core/topics';
import type { QoS } from '@mqttkit/core';
import type { Route, Session } from './session.ts';

/** `$share/group/filter` members: one of them gets each message, in turn. */
export class SharedGroup {
  readonly members: Route[] = [];
  private next = 0;
  constructor(readonly name: string, readonly filter: string) {}

  /** The next member in turn, preferring connected ones so a message is not parked with an offline member. */
  pick(): Route | undefined {
    const count = this.members.length;
    for (let i = 0; i < count; i++) {
      const route = this.members[(this.next + i) % count]!;
      if (route.session.client) {
        this.next = (this.next + i + 1) % count;
        return route;
      }
    }
    const route = this.members[this.next % count];
    this.next = (this.next + 1) % Math.max(1, count);
    return route;
  }
}

/** What one session receives for one message, merged over all its matching subscriptions. */
export interface Delivery {
  session: Session;
  qos: QoS;
  retainAsPublished: boolean;
  subscriptionIds: number[] | undefined;
}

/**
 * Subscriptions of every session, in core's topic trie. Overlapping subscriptions of one session collapse into
 * one delivery at the highest granted QoS with every subscription identifier (MQTT-3.3.4-2, -3.3.4-3);
 * shared groups deliver to one member each.
 */
export class Router {
  private readonly trie = new TopicTrie<Route | SharedGroup>();
  private readonly groups = new Map<string, SharedGroup>();
  /** Trie results by topic: most traffic repeats topics. Cleared on any subscription change, and when full. */
  private readonly cache = new Map<string, (Route | SharedGroup)[]>();
  private static readonly CACHE_LIMIT = 10_000;
  private stamp = 0;

  /** Adds or replaces the route `route.subscription.filter` of `route.session`. */
  add(route: Route, share: { group: string; filter: string } | undefined): void {
    this.cache.clear();
    const session = route.session;
    const filter = route.subscription.filter;
    const existing = session.subscriptions.get(filter);
    if (existing) this.remove(session, filter);
    session.subscriptions.set(filter, route);
    if (!share) {
      this.trie.add(filter, route);
      return;
    }
    const key = `${share.group}\u0000${share.filter}`;
    let group = this.groups.get(key);
    if (!group) {
      group = new SharedGroup(share.group, share.filter);
      this.groups.set(key, group);
      this.trie.add(share.filter, group);
    }
    route.group = group;
    group.members.push(route);
  }

  /** Removes a session's subscription; false if it had none with this filter. */
  remove(session: Session, filter: string): boolean {
    const route = session.subscriptions.get(filter);
    if (!route) return false;
    this.cache.clear();
    session.subscriptions.delete(filter);
    const group = route.group;
    if (!group) {
      this.trie.remove(filter, route);
      return true;
    }
    const index = group.members.indexOf(route);
    if (index >= 0) group.members.splice(index, 1);
    if (group.members.length === 0) {
      this.groups.delete(`${group.name}\u0000${group.filter}`);
      this.trie.remove(group.filter, group);
    }
    return true;
  }

  removeAll(session: Session): void {
    for (const filter of [...session.subscriptions.keys()]) this.remove(session, filter);
  }

  /** Every delivery a message on `topic` makes, one per receiving session (plus one per shared group). */
  match(topic: string, publisherId: string | undefined): Delivery[] {
    // Sessions are marked with this match's stamp instead of collected in a Map: no allocation per publish.
    const stamp = ++this.stamp;
    const deliveries: Delivery[] = [];
    for (const value of this.lookup(topic)) {
      if (value instanceof SharedGroup) {
        const route = value.pick();
        if (route) deliveries.push(toDelivery(route));
        continue;
      }
      const sub = value.subscription;
      const session = value.session;
      if (sub.noLocal && publisherId !== undefined && session.clientId === publisherId) continue;
      if (session.matchStamp !== stamp) {
        session.matchStamp = stamp;
        session.matchIndex = deliveries.length;
        deliveries.push(toDelivery(value));
        continue;
      }
      const existing = deliveries[session.matchIndex]!;
      if (sub.qos > existing.qos) existing.qos = sub.qos;
      if (sub.retainAsPublished) existing.retainAsPublished = true;
      if (sub.subscriptionId !== undefined) (existing.subscriptionIds ??= []).push(sub.subscriptionId);
    }
    return deliveries;
  }

  private lookup(topic: string): (Route | SharedGroup)[] {
    let hits = this.cache.get(topic);
    if (hits) return hits;
    const found: (Route | SharedGroup)[] = [];
    this.trie.forEachMatch(topic, (value) => found.push(value));
    if (this.cache.size >= Router.CACHE_LIMIT) this.cache.clear();
    this.cache.set(topic, found);
    hits = found;
    return hits;
  }

  get size(): number {
    return this.trie.size;
  }
}

function toDelivery(route: Route): Delivery {
  const sub = route.subscription;
  return {
    session: route.session,
    qos: sub.qos,
    retainAsPublished: sub.retainAsPublished,
    subscriptionIds: sub.subscriptionId !== undefined ? [sub.subscriptionId] : undefined,
  };
}
