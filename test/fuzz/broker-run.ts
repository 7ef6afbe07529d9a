/**
 * The broker part of `npm run fuzz`: runs the real `mqttkit-broker` bin in its own process, fuzzes its TCP
 * connection handling (`broker-fuzz.ts`), samples its RSS every second, and checks it stayed up and logged no
 * unexpected (non-MQTT) error.
 */
import { readFileSync } from 'node:fs';
import { spawnBroker } from '../../packages/broker/test/support/child-broker.ts';
import { brokerFuzzReport, fuzzBroker } from './broker-fuzz.ts';

/** Resident set size of a process, from /proc (Linux), in bytes. */
export function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Returns true when every connection was answered as predicted and the broker stayed healthy. */
export async function runBrokerFuzz(seed: number, connections: number, maxSeconds: number): Promise<boolean> {
  // A loaded machine can take a while to compile the broker's TypeScript on start.
  const broker = await spawnBroker(['--port', '0', '--log-level', 'info'], 60_000);
  const pid = broker.child.pid!;
  const samples: number[] = [rssOf(pid)];
  let exited = false;
  void broker.exited.then(() => (exited = true));
  console.log(`\n== broker fuzz: ${connections.toLocaleString('en')} connections over TCP to mqttkit-broker (pid ${pid}), seed ${seed} ==`);
  const stats = await fuzzBroker({
    port: broker.tcpPort,
    seed,
    connections,
    concurrency: 20,
    maxMs: maxSeconds * 1000,
    onTick: () => {
      if (!exited) samples.push(rssOf(pid));
    },
  });
  const alive = !exited && broker.child.exitCode === null;
  if (alive) samples.push(rssOf(pid));
  await broker.kill('SIGTERM');
  const unexpected = broker.logs().split('\n').filter((line) => / error /.test(line) || /uncaught|unhandled/i.test(line));
  const every = Math.max(1, Math.floor(samples.length / 12));
  console.log([
    ...brokerFuzzReport(stats),
    `broker process    ${alive ? 'up to the end' : 'DIED'}; unexpected errors logged: ${unexpected.length}`,
    ...unexpected.slice(0, 5).map((line) => `  ${line.slice(0, 300)}`),
    `broker RSS        start ${mib(samples[0]!)}, max ${mib(Math.max(...samples))}, end ${mib(samples[samples.length - 1]!)}`,
    `                  ${samples.filter((_, i) => i % every === 0).map(mib).join(' · ')}`,
  ].join('\n'));
  const observerOk = stats.observer.received === stats.observer.published && stats.observer.outOfOrder === 0 && !stats.observer.closed;
  return alive && unexpected.length === 0 && stats.failures.length === 0 && observerOk;
}
