/**
 * createBroker refuses an ACL whose filters are not topic filters: such a rule silently matched nothing (a deny
 * rule that denied nothing) or the wrong topics. Text, rule objects, files and aclHooks itself take the same check.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aclHooks, createBroker, InvalidArgumentError, parseAcl, type BrokerOptions } from '../src/index.ts';
import { createLogger } from '../src/log.ts';
import { startBroker } from './support/brokers.ts';

const offline: BrokerOptions = { port: false, wsPort: false, sysInterval: 0, logger: createLogger('silent') };

async function refusal(options: BrokerOptions): Promise<InvalidArgumentError> {
  const error: unknown = await createBroker({ ...offline, ...options }).then(
    async (broker) => {
      await broker.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(InvalidArgumentError);
  return error as InvalidArgumentError;
}

describe('ACL filters', () => {
  it('[MQTT-4.7.1-2] [MQTT-4.7.1-3] a rule whose filter is not a topic filter is refused at start-up, naming the rule', async () => {
    const deny = await refusal({ acl: 'user alice\ntopic readwrite home/#\ntopic deny home/+/secret+\n' });
    expect(deny.field).toBe('acl[1].filter');
    expect(deny.message).toContain('rule "topic deny home/+/secret+"');
    expect(deny.message).toContain("'+' must fill a whole level");

    const rules = await refusal({ acl: [{ kind: 'pattern', user: undefined, access: 'read', filter: 'devices/#/%u' }] });
    expect(rules.field).toBe('acl[0].filter');

    const dir = mkdtempSync(path.join(tmpdir(), 'mqttkit-acl-'));
    try {
      const file = path.join(dir, 'acl');
      writeFileSync(file, 'topic read public/#\ntopic read a#\n');
      expect((await refusal({ aclFile: file })).field).toBe('acl[1].filter');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('aclHooks used directly (custom hook stacks) takes the same check', () => {
    expect(() => aclHooks(parseAcl('topic read ok/#\ntopic deny home/+/secret+\n'))).toThrow(InvalidArgumentError);
    expect(() => aclHooks(parseAcl('topic read ok/#\ntopic deny home/+/secret+\n'))).toThrow('acl[1].filter');
    expect(() => aclHooks(parseAcl('topic deny home/+/secret\n'))).not.toThrow();
  });

  it('valid filters still start: wildcards, $SYS, %u and %c inside a level', async () => {
    const broker = await startBroker({ acl: 'topic read $SYS/#\ntopic read +/status\npattern readwrite devices/%u/#\npattern write clients/id-%c/out\n' });
    expect(broker.ports.tcp).toBeGreaterThan(0);
  });
});
