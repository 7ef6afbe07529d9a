import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { optionsFromArgs } from '../src/cli.ts';
import { BIN, spawnBroker, type ChildBroker } from './support/child-broker.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const children: ChildBroker[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill('SIGKILL')));
});

describe('mqttkit-broker CLI', () => {
  it('reads flags over a config file', () => {
    const config = path.join(dir, 'broker.json');
    writeFileSync(config, JSON.stringify({ port: 1884, wsPort: 9001, host: '0.0.0.0', limits: { maxQueued: 5 }, acl: 'topic read #', sysInterval: 0 }));
    const options = optionsFromArgs(['--config', config, '--port', '0', '--log-level', 'silent']);
    expect(options).toMatchObject({ port: 0, wsPort: 9001, host: '0.0.0.0', limits: { maxQueued: 5 }, acl: 'topic read #', sysInterval: 0 });
    expect(() => optionsFromArgs(['--port', 'x'])).toThrow(/--port/);
    expect(() => optionsFromArgs(['--log-level', 'loud'])).toThrow(/--log-level/);
  });

  it('passwd adds a scrypt user that the broker then accepts, with an ACL from the config file', async () => {
    const passwords = path.join(dir, 'passwords');
    await run(process.execPath, [BIN, 'passwd', passwords, 'alice', 'wonderland']);
    await run(process.execPath, [BIN, 'passwd', passwords, 'bob', 'builder']);
    await run(process.execPath, [BIN, 'passwd', passwords, 'alice', 'changed']);
    const lines = readFileSync(passwords, 'utf8').trim().split('\n');
    expect(lines.map((line) => line.split(':')[0])).toEqual(['bob', 'alice']);
    expect(lines[1]).toMatch(/^alice:scrypt\$/);

    const config = path.join(dir, 'secured.json');
    writeFileSync(config, JSON.stringify({ passwordFile: passwords, acl: 'user alice\ntopic readwrite a/#\n', sysInterval: 0 }));
    const broker = await spawnBroker(['--config', config, '--port', '0']);
    children.push(broker);
    const url = `mqtt://127.0.0.1:${broker.tcpPort}`;
    await expect(mqtt.connectAsync(url, { username: 'alice', password: 'wonderland', reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/i);
    const alice = await mqtt.connectAsync(url, { username: 'alice', password: 'changed', reconnectPeriod: 0 });
    const echoed = new Promise<string>((resolve) => alice.once('message', (_topic, payload) => resolve(payload.toString())));
    await alice.subscribeAsync('a/b');
    await alice.publishAsync('a/b', 'hi');
    expect(await echoed).toBe('hi');
    await alice.endAsync();
    expect(broker.logs()).toMatch(/"client connected" clientId=\S+ address=127.0.0.1 version=3.1.1 username=alice/);
  }, 60_000); // four child processes, each starting tsx, plus scrypt: slow on a loaded machine

  it('exits with a readable message on bad input', async () => {
    await expect(run(process.execPath, [BIN, '--port', '99999'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--port: expected a port number/) });
  }, 30_000);
});
