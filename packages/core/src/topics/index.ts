/** Topic names and filters: validation, matching, shared subscriptions and a trie for many filters. */
export {
  MAX_TOPIC_BYTES,
  SHARE_PREFIX,
  topicFilterProblem,
  topicNameProblem,
  validateTopicFilter,
  validateTopicName,
} from './validate.ts';
export { matches } from './matches.ts';
export { parseSharedSubscription, type SharedSubscription } from './shared.ts';
export { TopicTrie } from './trie.ts';
