/**
 * Topic name and topic filter validation (MQTT 3.1.1 §4.7, 5.0 §4.7 and §4.8.2).
 * The `*Problem` functions return a reason instead of throwing, so a broker can turn it into a reason code and a
 * client into an `InvalidArgumentError`, without try/catch on the hot path.
 */
import { InvalidArgumentError } from '../errors.ts';

/** The prefix that marks a shared subscription [MQTT-4.8.2-1]. */
export const SHARE_PREFIX = '$share/';

/** The largest UTF-8 string MQTT can carry: a two-byte length prefix [MQTT-4.7.3-3]. */
export const MAX_TOPIC_BYTES = 65_535;

const SLASH = 0x2f;
const PLUS = 0x2b;
const HASH = 0x23;

/**
 * Why `name` cannot be a PUBLISH topic name, or `undefined` when it can.
 * A name is 1 to 65,535 UTF-8 bytes of well-formed text without U+0000 and without the wildcards `+` and `#`.
 */
export function topicNameProblem(name: string): string | undefined {
  const problem = textProblem(name);
  if (problem !== undefined) return problem;
  const i = name.search(/[+#]/);
  return i < 0 ? undefined : `must not contain the wildcard '${name[i]}' (index ${i}): wildcards are for filters [MQTT-4.7.1-1]`;
}

/**
 * Why `filter` cannot be a SUBSCRIBE/UNSUBSCRIBE topic filter, or `undefined` when it can.
 * `#` must be the last level and alone in it, `+` alone in its level; `$share/{group}/{filter}` needs a non-empty
 * group without `/`, `+` or `#`, followed by a valid filter.
 */
export function topicFilterProblem(filter: string): string | undefined {
  const problem = textProblem(filter);
  if (problem !== undefined || isFilterShape(filter)) return problem;
  // Not a filter's shape: say why.
  if (filter.startsWith(SHARE_PREFIX)) {
    const shareProblem = sharedSubscriptionProblem(filter);
    if (shareProblem !== undefined) return shareProblem;
  }
  return wildcardPlacementProblem(filter);
}

/** Each level `+`, `#` (the last only) or free of wildcards [MQTT-4.7.1-2] [MQTT-4.7.1-3]. */
const FILTER_LEVELS = /^(?:(?:\+|[^+#/]*)\/)*(?:\+|#|[^+#/]*)$/;

/** `$share/{group}/{filter}`: a group without `/`, `+` or `#`, then a filter [MQTT-4.8.2-1] [MQTT-4.8.2-2]. */
const SHARED = /^\$share\/[^/+#]+\/[^]/;

/**
 * True when `filter` has a topic filter's shape: not empty, wildcards placed right, a shared subscription
 * well-formed. What every MQTT string needs (no U+0000, well-formed, at most 65,535 bytes) is checked apart:
 * by `topicFilterProblem`, or by the codec as it reads or writes the string.
 */
export const isFilterShape = (filter: string): boolean =>
  filter !== '' && FILTER_LEVELS.test(filter) && (!filter.startsWith(SHARE_PREFIX) || SHARED.test(filter));

/** Throws `InvalidArgumentError` naming `field` when `name` is not a valid topic name. */
export function validateTopicName(name: string, field = 'topic'): void {
  const problem = topicNameProblem(name);
  if (problem !== undefined) throw new InvalidArgumentError(field, `topic name ${quote(name)} ${problem}`);
}

/** Throws `InvalidArgumentError` naming `field` when `filter` is not a valid topic filter. */
export function validateTopicFilter(filter: string, field = 'filter'): void {
  const problem = topicFilterProblem(filter);
  if (problem !== undefined) throw new InvalidArgumentError(field, `topic filter ${quote(filter)} ${problem}`);
}

/**
 * Checks what names and filters share: well-formed UTF-16 (so it encodes to well-formed UTF-8 without
 * replacement characters), no U+0000, at most 65,535 UTF-8 bytes. Counts bytes without allocating.
 */
function textProblem(text: string): string | undefined {
  if (!text) return 'must not be empty [MQTT-4.7.3-1]';
  // Every UTF-16 code unit becomes at least one UTF-8 byte, so this bound is exact enough to stop early.
  if (text.length > MAX_TOPIC_BYTES) return tooLong(text.length);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return `must not contain U+0000 (at index ${i}) [MQTT-4.7.3-2]`;
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return loneSurrogate(i);
      bytes += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return loneSurrogate(i);
    else bytes += 3;
  }
  return bytes > MAX_TOPIC_BYTES ? tooLong(bytes) : undefined;
}

/** `#` only as the whole last level, `+` only as a whole level [MQTT-4.7.1-2] [MQTT-4.7.1-3]. */
function wildcardPlacementProblem(filter: string): string | undefined {
  const last = filter.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = filter.charCodeAt(i);
    if (c !== PLUS && c !== HASH) continue;
    const hash = c === HASH;
    const aloneInLevel =
      (i === 0 || filter.charCodeAt(i - 1) === SLASH) && (i === last || filter.charCodeAt(i + 1) === SLASH);
    if (!aloneInLevel || (hash && i !== last)) {
      return `has '${filter[i]}' at index ${i}: '${filter[i]}' must ${aloneInLevel ? 'be the last level' : 'fill a whole level'}, as in 'a/${hash ? '#' : '+/c'}' [MQTT-4.7.1-${hash ? 2 : 3}]`;
    }
  }
  return undefined;
}

/** The `$share/{group}/{filter}` structure; the inner filter's wildcards are checked with the rest. */
function sharedSubscriptionProblem(filter: string): string | undefined {
  const groupEnd = filter.indexOf('/', SHARE_PREFIX.length);
  const group = filter.slice(SHARE_PREFIX.length, groupEnd);
  const problem =
    groupEnd < 0
      ? 'without a filter'
      : !group
        ? 'with an empty group name'
        : /[+#]/.test(group)
          ? `whose group ${quote(group)} contains a wildcard`
          : groupEnd === filter.length - 1
            ? 'with an empty filter'
            : undefined;
  return problem && `is a shared subscription ${problem}: write '$share/{group}/{filter}' [MQTT-4.8.2-${group || groupEnd < 0 ? 2 : 1}]`;
}

function tooLong(length: number): string {
  return `is ${length} bytes of UTF-8, over ${MAX_TOPIC_BYTES} [MQTT-4.7.3-3]`;
}

function loneSurrogate(index: number): string {
  return `contains an unpaired UTF-16 surrogate at index ${index} [MQTT-1.5.4-1]`;
}

/** Quotes a topic for an error message, shortened so a 64 KB topic does not become a 64 KB message. */
function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
