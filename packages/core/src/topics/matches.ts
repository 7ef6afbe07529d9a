/** Matching one topic filter against one topic name (§4.7). For many filters use `TopicTrie`. */

/**
 * Whether `topic` (a valid topic name) matches `filter` (a valid topic filter). `+` matches exactly one level,
 * `#` matches any number of levels including none (so `a/#` matches `a`), and a filter starting with a wildcard
 * does not match a topic starting with `$` [MQTT-4.7.2-1]. Levels compare exactly, with no normalisation
 * [MQTT-4.7.3-4]. A `$share/{group}/` prefix is not interpreted: pass the inner filter.
 */
export function matches(filter: string, topic: string): boolean {
  if (topic.charCodeAt(0) === 0x24 /* $ */ && startsWithWildcard(filter)) return false;
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  for (let i = 0; i < filterLevels.length; i++) {
    const level = filterLevels[i];
    if (level === '#') return true;
    if (i >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
}

function startsWithWildcard(filter: string): boolean {
  const c = filter.charCodeAt(0);
  return c === 0x2b /* + */ || c === 0x23 /* # */;
}
