import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { createBroker, type BrokerOptions } from './create-broker.ts';
import { hashPassword, setPasswordLine } from './auth/passwords.ts';
import { createLogger, isLogLevel } from './log.ts';
import type { BrokerLimits } from './limits.ts';

const USAGE = `Usage:
  mqttkit-broker [--port 1883] [--ws-port 8080] [--host 127.0.0.1] [--store ./mqttkit.db]
                 [--config ./broker.json] [--log-level info] [--tls-key key.pem --tls-cert cert.pem]
                 [--ws-path /mqtt ...] [--queue-qos0]
  mqttkit-broker passwd FILE USER [PASSWORD]   add or replace USER in a password file (PASSWORD read from stdin if absent)

--ws-path may be given several times (default /mqtt); WebSocket upgrades on other paths get HTTP 404.
The config file is JSON with the same keys (port, wsPort, wsPath (a path or a list), host, store, logLevel, tlsKey, tlsCert) plus
users ({"name": "scrypt$..."}), passwordFile, allowAnonymous, acl (rules text), aclFile, limits ({...}), sysInterval,
queueQos0Messages (--queue-qos0: queue QoS 0 for offline persistent sessions; default off, as mosquitto).
Flags override the file.`;

/** The config file's shape. */
export interface BrokerConfigFile {
  port?: number | false;
  wsPort?: number | false;
  wsPath?: string | string[];
  host?: string;
  store?: string;
  logLevel?: string;
  tlsKey?: string;
  tlsCert?: string;
  users?: Record<string, string>;
  passwordFile?: string;
  allowAnonymous?: boolean;
  acl?: string;
  aclFile?: string;
  limits?: Partial<BrokerLimits>;
  sysInterval?: number;
  queueQos0Messages?: boolean;
}

function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag}: expected a port number 0-65535, got "${value}"`);
  return n;
}

/** Builds broker options from flags and an optional config file. Exported for tests. */
export function optionsFromArgs(argv: string[]): BrokerOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'ws-port': { type: 'string' },
      'ws-path': { type: 'string', multiple: true },
      host: { type: 'string' },
      store: { type: 'string' },
      config: { type: 'string' },
      'log-level': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      'queue-qos0': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const file: BrokerConfigFile = values.config ? (JSON.parse(readFileSync(values.config, 'utf8')) as BrokerConfigFile) : {};
  const logLevel = values['log-level'] ?? file.logLevel ?? 'info';
  if (!isLogLevel(logLevel)) throw new Error(`--log-level: expected debug, info, warn, error or silent, got "${logLevel}"`);
  const options: BrokerOptions = { logger: createLogger(logLevel) };
  const tcp = port(values.port, '--port') ?? file.port;
  if (tcp !== undefined) options.port = tcp;
  const ws = port(values['ws-port'], '--ws-port') ?? file.wsPort;
  if (ws !== undefined) options.wsPort = ws;
  const wsPath = values['ws-path'] ?? file.wsPath;
  if (wsPath !== undefined) options.wsPath = wsPath;
  const host = values.host ?? file.host;
  if (host) options.host = host;
  const store = values.store ?? file.store;
  if (store) options.store = store;
  const key = values['tls-key'] ?? file.tlsKey;
  const cert = values['tls-cert'] ?? file.tlsCert;
  if (key || cert) {
    if (!key || !cert) throw new Error('TLS needs both --tls-key and --tls-cert');
    options.tls = { key: readFileSync(key), cert: readFileSync(cert) };
  }
  if (file.users) options.users = file.users;
  if (file.passwordFile) options.passwordFile = file.passwordFile;
  if (file.allowAnonymous !== undefined) options.allowAnonymous = file.allowAnonymous;
  if (file.acl) options.acl = file.acl;
  if (file.aclFile) options.aclFile = file.aclFile;
  if (file.limits) options.limits = file.limits;
  if (file.sysInterval !== undefined) options.sysInterval = file.sysInterval;
  const queueQos0 = values['queue-qos0'] ?? file.queueQos0Messages;
  if (queueQos0 !== undefined) options.queueQos0Messages = queueQos0;
  return options;
}

async function readLine(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise((resolve) => rl.question(prompt, resolve));
  } finally {
    rl.close();
  }
}

async function passwd(args: string[]): Promise<void> {
  const [file, user, given] = args;
  if (!file || !user) throw new Error('usage: mqttkit-broker passwd FILE USER [PASSWORD]');
  const password = given ?? (await readLine(`password for ${user}: `));
  if (!password) throw new Error('empty password');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, setPasswordLine(before, user, hashPassword(password)), { mode: 0o600 });
  process.stderr.write(`${user} saved in ${file}\n`);
}

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'passwd') {
    await passwd(argv.slice(1));
    return;
  }
  const options = optionsFromArgs(argv);
  const broker = await createBroker(options);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    broker.log.info('shutting down', { signal });
    broker.close().then(
      () => process.exit(0),
      (error: unknown) => {
        broker.log.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // An exception that escapes every guard is logged; connections are isolated, so the broker keeps serving.
  process.on('uncaughtException', (error) => broker.log.error('uncaught exception', { error: error.stack ?? String(error) }));
  process.on('unhandledRejection', (error) => broker.log.error('unhandled rejection', { error: String(error) }));
}

export { USAGE };
