import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker } from './support/brokers.ts';

/** A running `mosquitto_sub -d`: resolves `ready` on SUBACK; `lines` are the messages (`-v`: "topic payload"). */
interface Sub {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<{ code: number | null; lines: string[]; output: string }>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function mosquittoSub(args: string[]): Sub {
  // stdbuf: mosquitto_sub block-buffers a piped stdout, and we need its SUBACK line as it happens.
  const child = spawn('stdbuf', ['-oL', 'mosquitto_sub', '-h', '127.0.0.1', '-d', '-v', '-W', '10', ...args]);
  children.push(child);
  let output = '';
  let onReady: () => void = () => {};
  let onFail: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (/received SUBACK/.test(output)) onReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // close, not exit: exit can come before the last stdout chunk has been read.
  const done = new Promise<{ code: number | null; lines: string[]; output: string }>((resolve) =>
    child.once('close', (code) => {
      onFail(new Error(`mosquitto_sub exited before SUBACK: ${output}`));
      resolve({ code, output, lines: output.split('\n').filter((line) => line && !line.startsWith('Client ') && !line.startsWith('Subscribed') && !line.startsWith('Received') && !line.startsWith('Sending') && line !== 'Timed out') });
    }),
  );
  return { child, ready, done };
}

function mosquittoPub(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('mosquitto_pub', ['-h', '127.0.0.1', ...args]);
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe('Debian mosquitto_pub / mosquitto_sub against our broker', () => {
  for (const version of ['mqttv311', 'mqttv5'] as const) {
    it(`[MQTT-4.3.2-1] publishes and receives QoS 0, 1, 2 at ${version}`, async () => {
      const broker = await startBroker();
      const port = String(broker.ports.tcp);
      const sub = mosquittoSub(['-p', port, '-V', version, '-q', '2', '-t', 'cli/#', '-C', '3']);
      await sub.ready;
      for (const qos of ['0', '1', '2']) expect((await mosquittoPub(['-p', port, '-V', version, '-q', qos, '-t', `cli/${qos}`, '-m', `q${qos}`])).code).toBe(0);
      const { code, lines } = await sub.done;
      expect(code).toBe(0);
      expect(lines).toEqual(['cli/0 q0', 'cli/1 q1', 'cli/2 q2']);
    });
  }

  it('[MQTT-3.3.1-6] retained: stored, delivered to a new subscriber, cleared by an empty retained message', async () => {
    const broker = await startBroker();
    const port = String(broker.ports.tcp);
    await mosquittoPub(['-p', port, '-r', '-q', '1', '-t', 'cli/lamp', '-m', 'on']);
    const first = mosquittoSub(['-p', port, '-t', 'cli/lamp', '-C', '1']);
    expect((await first.done).lines).toEqual(['cli/lamp on']);
    await mosquittoPub(['-p', port, '-r', '-q', '1', '-t', 'cli/lamp', '-n']);
    expect(broker.retained.size).toBe(0);
    // --retained-only exits after the retained messages; with none it prints nothing.
    const second = mosquittoSub(['-p', port, '-t', 'cli/lamp', '--retained-only', '-W', '1']);
    expect((await second.done).lines).toEqual([]);
  });

  it('[MQTT-4.8.2-?] shared subscription $share/g/... splits messages between two mosquitto_sub', async () => {
    const broker = await startBroker();
    const port = String(broker.ports.tcp);
    const a = mosquittoSub(['-p', port, '-V', 'mqttv5', '-t', '$share/g/jobs', '-C', '2']);
    const b = mosquittoSub(['-p', port, '-V', 'mqttv5', '-t', '$share/g/jobs', '-C', '2']);
    await Promise.all([a.ready, b.ready]);
    for (let i = 0; i < 4; i++) await mosquittoPub(['-p', port, '-t', 'jobs', '-m', `j${i}`]);
    const got = [...(await a.done).lines, ...(await b.done).lines];
    expect(got.sort()).toEqual(['jobs j0', 'jobs j1', 'jobs j2', 'jobs j3']);
  });

  it('[MQTT-3.1.2-8] the will of a killed mosquitto_sub is published', async () => {
    const broker = await startBroker();
    const port = String(broker.ports.tcp);
    const watcher = mosquittoSub(['-p', port, '-t', 'cli/status', '-C', '1']);
    const device = mosquittoSub(['-p', port, '-t', 'cli/none', '--will-topic', 'cli/status', '--will-payload', 'offline', '--will-qos', '1']);
    await Promise.all([watcher.ready, device.ready]);
    device.child.kill('SIGKILL');
    expect((await watcher.done).lines).toEqual(['cli/status offline']);
  });

  it('refuses a bad password and an ACL-denied subscription', async () => {
    const broker = await startBroker({ users: { alice: 'wonderland' }, acl: 'user alice\ntopic read home/#\n' });
    const port = String(broker.ports.tcp);
    const refused = await mosquittoPub(['-p', port, '-u', 'alice', '-P', 'wrong', '-t', 'home/x', '-m', 'x']);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/bad user name or password|not authori[sz]ed/i);
    const denied = mosquittoSub(['-p', port, '-V', 'mqttv5', '-u', 'alice', '-P', 'wonderland', '-t', 'office/#', '-C', '1', '-W', '2']);
    const result = await denied.done;
    expect(result.output).toMatch(/denied|Not authori[sz]ed|SUBACK/i);
    expect(result.lines.filter((line) => line.startsWith('office/'))).toEqual([]);
    expect(broker.router.size).toBe(0);
  });
});
