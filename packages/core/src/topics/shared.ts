/** MQTT 5.0 shared subscriptions: `$share/{group}/{filter}` (§4.8.2). */
import { SHARE_PREFIX, topicFilterProblem } from './validate.ts';

/** The parts of a shared subscription filter. */
export interface SharedSubscription {
  /** The share name: subscribers in one group share the messages. */
  group: string;
  /** The filter messages are matched against, e.g. `sensors/+` in `$share/g/sensors/+`. */
  filter: string;
}

/**
 * Splits a valid `$share/{group}/{filter}` into its group and inner filter. Returns `undefined` for a filter that is
 * not a shared subscription and for a malformed one (`topicFilterProblem` says why).
 */
export function parseSharedSubscription(filter: string): SharedSubscription | undefined {
  if (!filter.startsWith(SHARE_PREFIX) || topicFilterProblem(filter) !== undefined) return undefined;
  const groupEnd = filter.indexOf('/', SHARE_PREFIX.length);
  return { group: filter.slice(SHARE_PREFIX.length, groupEnd), filter: filter.slice(groupEnd + 1) };
}
