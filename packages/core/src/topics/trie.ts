/**
 * A trie of topic filters, one node per level, so matching a topic costs the levels it walks rather than the
 * number of filters. Used by the client's local dispatch and by the broker's subscription index.
 */

class Node<T> {
  /** Literal child levels; `+` and `#` get their own slots so a lookup costs at most three probes. */
  children: Map<string, Node<T>> | undefined;
  plus: Node<T> | undefined;
  hash: Node<T> | undefined;
  /** The values stored under the filter that ends here, and that filter (for `forEachMatch`). */
  values: Set<T> | undefined;
  filter = '';

  isEmpty(): boolean {
    return this.values === undefined && this.children === undefined && this.plus === undefined && this.hash === undefined;
  }

  child(level: string): Node<T> | undefined {
    if (level === '+') return this.plus;
    if (level === '#') return this.hash;
    return this.children?.get(level);
  }

  ensureChild(level: string): Node<T> {
    let node = this.child(level);
    if (node !== undefined) return node;
    node = new Node<T>();
    if (level === '+') this.plus = node;
    else if (level === '#') this.hash = node;
    else (this.children ??= new Map()).set(level, node);
    return node;
  }

  deleteChild(level: string): void {
    if (level === '+') this.plus = undefined;
    else if (level === '#') this.hash = undefined;
    else if (this.children !== undefined) {
      this.children.delete(level);
      if (this.children.size === 0) this.children = undefined;
    }
  }
}

/**
 * Values stored by topic filter, matched by topic name. `+` matches one level, `#` every level below and the parent
 * level itself, and a leading wildcard does not match a `$`-topic [MQTT-4.7.2-1]. Empty levels are levels (`a//b`).
 * Each filter holds a set: adding a value twice under one filter stores it once, while the same value under two
 * overlapping filters is reported once per matching filter. Filters are assumed valid (see `validateTopicFilter`);
 * store a `$share/{group}/{filter}` subscription under its inner filter.
 */
export class TopicTrie<T> {
  readonly #root = new Node<T>();
  #size = 0;

  /** The number of (filter, value) pairs stored. */
  get size(): number {
    return this.#size;
  }

  /** Stores `value` under `filter`; a no-op when that filter already holds that value. */
  add(filter: string, value: T): void {
    let node = this.#root;
    for (const level of filter.split('/')) node = node.ensureChild(level);
    node.values ??= new Set();
    if (node.values.has(value)) return;
    node.values.add(value);
    node.filter = filter;
    this.#size++;
  }

  /** Removes `value` from `filter`; returns whether it was there. Prunes nodes left empty. */
  remove(filter: string, value: T): boolean {
    const levels = filter.split('/');
    const path: Node<T>[] = [this.#root];
    let node: Node<T> | undefined = this.#root;
    for (const level of levels) {
      node = node.child(level);
      if (node === undefined) return false;
      path.push(node);
    }
    if (node.values === undefined || !node.values.delete(value)) return false;
    this.#size--;
    if (node.values.size === 0) node.values = undefined;
    // Walk back up, detaching nodes that hold nothing any more.
    for (let i = levels.length; i > 0; i--) {
      const current = path[i];
      const parent = path[i - 1];
      const level = levels[i - 1];
      if (current === undefined || parent === undefined || level === undefined || !current.isEmpty()) break;
      parent.deleteChild(level);
    }
    return true;
  }

  /** Every value whose filter matches `topic`, once per matching filter, in no particular order. */
  match(topic: string): T[] {
    const found: T[] = [];
    this.forEachMatch(topic, (value) => found.push(value));
    return found;
  }

  /**
   * Calls `visit(value, filter)` for every value whose filter matches `topic`, without building an array.
   * `visit` must not add to or remove from this trie.
   */
  forEachMatch(topic: string, visit: (value: T, filter: string) => void): void {
    const levels = topic.split('/');
    const dollarTopic = topic.charCodeAt(0) === 0x24; /* $ */
    // An explicit stack rather than recursion: a 64 KB topic can have 32,768 levels.
    const nodes: Node<T>[] = [this.#root];
    const depths: number[] = [0];
    for (let node = nodes.pop(), depth = depths.pop(); node !== undefined && depth !== undefined; node = nodes.pop(), depth = depths.pop()) {
      const wildcardAllowed = depth > 0 || !dollarTopic;
      // `#` here covers the remaining levels, and none: `a/#` matches `a`.
      if (node.hash !== undefined && wildcardAllowed) visitValues(node.hash, visit);
      if (depth === levels.length) {
        visitValues(node, visit);
        continue;
      }
      const literal = node.children?.get(levels[depth] as string);
      if (literal !== undefined) {
        nodes.push(literal);
        depths.push(depth + 1);
      }
      if (node.plus !== undefined && wildcardAllowed) {
        nodes.push(node.plus);
        depths.push(depth + 1);
      }
    }
  }
}

function visitValues<T>(node: Node<T>, visit: (value: T, filter: string) => void): void {
  if (node.values === undefined) return;
  for (const value of node.values) visit(value, node.filter);
}
