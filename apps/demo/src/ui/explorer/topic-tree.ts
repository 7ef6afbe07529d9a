/**
 * What the topic explorer shows: every topic seen under `#` as a tree, each node with its last message, how many
 * messages it and its subtree carried, and their recent rate. Memory is bounded per node (a short window of
 * arrival times) and by `maxTopics`, so a wildcard view left open on a busy broker does not grow without end.
 */
export interface LastMessage {
  payload: Uint8Array;
  retain: boolean;
  qos: number;
  at: number;
}

export interface TopicNode {
  /** This level's name; '' for the root. */
  segment: string;
  /** The full topic of this node. */
  path: string;
  children: Map<string, TopicNode>;
  /** The last message published to exactly this topic. */
  last: LastMessage | undefined;
  /** Messages to this topic and every topic below it. */
  count: number;
  /** Arrival times (ms) inside the rate window, oldest first. */
  recent: number[];
}

/** Rates are averaged over this window. */
export const RATE_WINDOW_MS = 5000;
/** At most this many arrivals are kept per node: enough for 200 msg/s over the window at 1/5 resolution. */
const MAX_RECENT = 200;

function node(segment: string, path: string): TopicNode {
  return { segment, path, children: new Map(), last: undefined, count: 0, recent: [] };
}

export class TopicTree {
  readonly root = node('', '');
  topics = 0;
  /** Grows with every change: lets a view poll cheaply. */
  version = 0;

  constructor(readonly maxTopics = 5000) {}

  /** Records one message. A topic beyond `maxTopics` new ones is counted on its existing ancestors only. */
  record(topic: string, payload: Uint8Array, retain: boolean, qos: number, now: number): void {
    let current = this.root;
    this.touch(current, now);
    const segments = topic.split('/');
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      let child = current.children.get(segment);
      if (!child) {
        if (this.topics >= this.maxTopics) break;
        child = node(segment, segments.slice(0, i + 1).join('/'));
        current.children.set(segment, child);
        this.topics++;
      }
      current = child;
      this.touch(current, now);
      if (i === segments.length - 1) current.last = { payload, retain, qos, at: now };
    }
    this.version++;
  }

  /** Finds the node of a full topic. */
  find(topic: string): TopicNode | undefined {
    let current: TopicNode | undefined = this.root;
    for (const segment of topic.split('/')) {
      current = current.children.get(segment);
      if (!current) return undefined;
    }
    return current;
  }

  private touch(target: TopicNode, now: number): void {
    target.count++;
    target.recent.push(now);
    if (target.recent.length > MAX_RECENT) target.recent.shift();
  }
}

/** Messages per second into `target` (and below) over the last window. */
export function rateOf(target: TopicNode, now: number): number {
  const since = now - RATE_WINDOW_MS;
  let inside = 0;
  for (let i = target.recent.length - 1; i >= 0 && target.recent[i]! > since; i--) inside++;
  return inside / (RATE_WINDOW_MS / 1000);
}

/** Children sorted by name, for a stable display order. */
export function sortedChildren(target: TopicNode): TopicNode[] {
  return [...target.children.values()].sort((a, b) => a.segment.localeCompare(b.segment));
}
