import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '@mqttkit/core';
import { matches, topicFilterProblem } from '@mqttkit/core/topics';
import type { BrokerHooks, ClientInfo } from '../hooks.ts';

export type Access = 'read' | 'write' | 'readwrite' | 'deny';

export interface AclRule {
  /** `topic` rules belong to one user (undefined: anonymous clients); `pattern` rules apply to everyone. */
  kind: 'topic' | 'pattern';
  user: string | undefined;
  access: Access;
  filter: string;
}

/**
 * Parses an ACL file in mosquitto's spirit:
 * ```
 * topic read $SYS/#          # before any "user" line: anonymous clients
 * user alice
 * topic readwrite home/#     # alice
 * pattern write devices/%u/# # everyone, %u user name, %c client id
 * ```
 * Access is `read`, `write`, `readwrite` (the default) or `deny`.
 */
export function parseAcl(text: string): AclRule[] {
  const rules: AclRule[] = [];
  let user: string | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [keyword, ...rest] = line.split(/\s+/);
    const fail = (why: string): never => {
      throw new Error(`ACL line ${index + 1}: ${why}: "${line}"`);
    };
    if (keyword === 'user') {
      user = rest.join(' ') || fail('user needs a name');
      return;
    }
    if (keyword !== 'topic' && keyword !== 'pattern') fail('expected user, topic or pattern');
    let access: Access = 'readwrite';
    if (rest.length > 1 && ['read', 'write', 'readwrite', 'deny'].includes(rest[0]!)) access = rest.shift() as Access;
    const filter = rest.join(' ') || fail('missing topic');
    rules.push({ kind: keyword as 'topic' | 'pattern', user: keyword === 'topic' ? user : undefined, access, filter });
  });
  return rules;
}

export function readAclFile(path: string): AclRule[] {
  return parseAcl(readFileSync(path, 'utf8'));
}

/** The rule's filter for this client, or undefined if a substitution would let a name escape its level. */
function filterFor(rule: AclRule, client: ClientInfo): string | undefined {
  if (rule.kind === 'topic') return rule.filter;
  const unsafe = (value: string) => /[+#/]/.test(value);
  if (rule.filter.includes('%u') && (client.username === undefined || unsafe(client.username))) return undefined;
  if (rule.filter.includes('%c') && unsafe(client.clientId)) return undefined;
  return rule.filter.replaceAll('%u', client.username ?? '').replaceAll('%c', client.clientId);
}

/** Could any topic match both filters? Decides whether a subscription can ever receive anything allowed. */
export function filtersOverlap(a: string, b: string): boolean {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; ; i++) {
    const p = x[i];
    const q = y[i];
    if (p === '#' || q === '#') return i > 0 || !(p?.startsWith('$') || q?.startsWith('$'));
    if (p === undefined || q === undefined) return p === q;
    if (p === '+' || q === '+') {
      if (i === 0 && (p.startsWith('$') || q.startsWith('$'))) return false;
      continue;
    }
    if (p !== q) return false;
  }
}

/**
 * Hooks enforcing ACL rules: publish needs write, a subscription needs a read rule it can overlap, and every
 * delivery needs read on the message's topic, so a wildcard subscription never carries a refused topic.
 * Throws `InvalidArgumentError` naming the first rule whose filter is not a topic filter.
 */
export function aclHooks(rules: AclRule[]): Required<Pick<BrokerHooks, 'authorizePublish' | 'authorizeSubscribe' | 'authorizeRead'>> {
  validateAclFilters(rules);
  const applicable = (client: ClientInfo) => rules.filter((rule) => rule.kind === 'pattern' || rule.user === client.username);
  const allowed = (client: ClientInfo, topic: string, want: 'read' | 'write'): boolean => {
    let granted = false;
    for (const rule of applicable(client)) {
      const filter = filterFor(rule, client);
      if (filter === undefined || !matches(filter, topic)) continue;
      if (rule.access === 'deny') return false;
      if (rule.access === want || rule.access === 'readwrite') granted = true;
    }
    return granted;
  };
  return {
    authorizePublish: (client, message) => allowed(client, message.topic, 'write'),
    authorizeRead: (client, topic) => allowed(client, topic, 'read'),
    authorizeSubscribe: (client, subscription) => {
      const filter = subscription.filter.startsWith('$share/') ? subscription.filter.split('/').slice(2).join('/') : subscription.filter;
      return applicable(client).some((rule) => {
        const ruleFilter = filterFor(rule, client);
        return ruleFilter !== undefined && (rule.access === 'read' || rule.access === 'readwrite') && filtersOverlap(ruleFilter, filter);
      });
    },
  };
}

/**
 * An ACL rule whose filter is not a topic filter would match nothing (`home/+/secret+`) or the wrong topics
 * (`home/#/x`), silently: a deny rule that denies nothing. Refused at start-up instead, naming the rule.
 */
function validateAclFilters(rules: AclRule[]): void {
  rules.forEach((rule, index) => {
    const problem = topicFilterProblem(rule.filter);
    if (problem !== undefined) {
      throw new InvalidArgumentError(`acl[${index}].filter`, `rule "${rule.kind} ${rule.access} ${rule.filter}": topic filter ${problem}`);
    }
  });
}
