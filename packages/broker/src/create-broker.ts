import type { AddressInfo } from 'node:net';
import type net from 'node:net';
import { Broker, type BrokerCoreOptions } from './broker.ts';
import type { BrokerHooks } from './hooks.ts';
import { aclHooks, parseAcl, readAclFile, type AclRule } from './auth/acl.ts';
import { passwordAuthenticator, readPasswordFile } from './auth/passwords.ts';
import { createTcpServer, type TlsFiles } from './listeners/tcp.ts';
import { createWebSocketServer, webSocketPaths } from './listeners/ws.ts';
import { createLogger, type LogLevel } from './log.ts';
import { startSysTopics } from './sys.ts';
import type { SessionStore } from './store/types.ts';

export interface BrokerOptions extends Omit<BrokerCoreOptions, 'store'> {
  /** Interface to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** MQTT over TCP (or TLS when `tls` is set); default 1883, 0 for a free port, false for none. */
  port?: number | false;
  /** MQTT over WebSocket on `wsPath`; default none, 0 for a free port. */
  wsPort?: number | false;
  /** Path(s) WebSocket upgrades are accepted on; default `/mqtt`. Other paths get HTTP 404 (and a warn log line). */
  wsPath?: string | string[];
  /** PEM key and certificate: both listeners then speak TLS (mqtts, wss). */
  tls?: TlsFiles;
  /** A `SessionStore`, or a file path for SQLite (better-sqlite3, WAL, write-through). Default: in memory. */
  store?: SessionStore | string;
  /** `user:hash` lines (see `mqttkit-broker passwd`); anonymous clients are then refused. */
  passwordFile?: string;
  /** User → scrypt hash (or plain password) inline, as in a config file. */
  users?: Record<string, string>;
  /** With passwords configured, still accept clients that send no user name. */
  allowAnonymous?: boolean;
  /** ACL file path, or the rules' text. */
  aclFile?: string;
  acl?: string | AclRule[];
  /** Seconds between `$SYS/broker/...` updates; 0 turns them off. Default 10. */
  sysInterval?: number;
  /** Used when no `logger` is given. Default `warn`. */
  logLevel?: LogLevel;
}

export interface ListeningPorts {
  tcp: number | undefined;
  ws: number | undefined;
}

/** A broker with its listeners. `close()` stops them, disconnects everyone and closes the store. */
export class MqttBroker extends Broker {
  ports: ListeningPorts = { tcp: undefined, ws: undefined };
  /** @internal */
  servers: net.Server[] = [];
  /** @internal */
  stopSys: (() => void) | undefined;

  override async close(): Promise<void> {
    this.stopSys?.();
    const closed = this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    await super.close();
    for (const server of this.servers) (server as net.Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    await Promise.all(closed);
    this.log.info('broker stopped');
  }
}

/**
 * Starts a broker: `const broker = await createBroker({ port: 0, wsPort: 0 }); broker.ports; await broker.close()`.
 * Listens on 127.0.0.1 unless `host` says otherwise.
 */
export async function createBroker(options: BrokerOptions = {}): Promise<MqttBroker> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'warn');
  const store = typeof options.store === 'string' ? await openSqlite(options.store) : options.store;
  const core: BrokerCoreOptions = { logger, hooks: securityHooks(options) };
  if (store) core.store = store;
  if (options.limits) core.limits = options.limits;
  if (options.queueQos0Messages !== undefined) core.queueQos0Messages = options.queueQos0Messages;
  const broker = new MqttBroker(core);
  const host = options.host ?? '127.0.0.1';
  try {
    if (options.port !== false) {
      const server = createTcpServer(broker, options.tls);
      broker.servers.push(server);
      broker.ports.tcp = await listen(server, options.port ?? 1883, host);
      logger.info('listening', { transport: options.tls ? 'mqtts' : 'mqtt', host, port: broker.ports.tcp });
    }
    if (options.wsPort !== undefined && options.wsPort !== false) {
      const paths = webSocketPaths(options.wsPath);
      const wsOptions: { path: string[]; tls?: TlsFiles } = { path: paths };
      if (options.tls) wsOptions.tls = options.tls;
      const server = createWebSocketServer(broker, wsOptions);
      broker.servers.push(server);
      broker.ports.ws = await listen(server, options.wsPort, host);
      logger.info('listening', { transport: options.tls ? 'wss' : 'ws', host, port: broker.ports.ws, path: paths.join(',') });
    }
  } catch (error) {
    await broker.close();
    throw error;
  }
  const sysInterval = options.sysInterval ?? 10;
  if (sysInterval > 0) broker.stopSys = startSysTopics(broker, sysInterval);
  return broker;
}

async function openSqlite(path: string): Promise<SessionStore> {
  const { SqliteSessionStore } = await import('./store/sqlite.ts');
  return new SqliteSessionStore(path);
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Password file / users and ACL as hooks, combined with the caller's hooks (every one must allow). */
function securityHooks(options: BrokerOptions): BrokerHooks {
  const users = new Map<string, string>(Object.entries(options.users ?? {}));
  if (options.passwordFile) for (const [user, hash] of readPasswordFile(options.passwordFile)) users.set(user, hash);
  const rules = options.aclFile ? readAclFile(options.aclFile) : typeof options.acl === 'string' ? parseAcl(options.acl) : options.acl;
  const layers: BrokerHooks[] = [];
  if (users.size > 0) layers.push({ authenticate: passwordAuthenticator(users, options.allowAnonymous ?? false) });
  if (rules) layers.push(aclHooks(rules));
  if (options.hooks) layers.push(options.hooks);
  return combineHooks(layers);
}

export function combineHooks(layers: BrokerHooks[]): BrokerHooks {
  if (layers.length <= 1) return layers[0] ?? {};
  const hooks: BrokerHooks = {};
  const authenticate = layers.flatMap((l) => (l.authenticate ? [l.authenticate.bind(l)] : []));
  if (authenticate.length) {
    hooks.authenticate = async (request) => {
      for (const hook of authenticate) {
        const result = await hook(request);
        if (result !== true) return result;
      }
      return true;
    };
  }
  const methods = layers.flatMap((l) => (l.authenticationMethods ? [l.authenticationMethods] : []));
  if (methods.length) hooks.authenticationMethods = Object.assign({}, ...methods) as NonNullable<BrokerHooks['authenticationMethods']>;
  const publish = layers.flatMap((l) => (l.authorizePublish ? [l.authorizePublish.bind(l)] : []));
  if (publish.length) {
    hooks.authorizePublish = async (client, message) => {
      for (const hook of publish) if (!(await hook(client, message))) return false;
      return true;
    };
  }
  const subscribe = layers.flatMap((l) => (l.authorizeSubscribe ? [l.authorizeSubscribe.bind(l)] : []));
  if (subscribe.length) {
    hooks.authorizeSubscribe = async (client, subscription) => {
      let granted: boolean | 0 | 1 | 2 = true;
      for (const hook of subscribe) {
        const verdict = await hook(client, subscription);
        if (verdict === false) return false;
        if (verdict !== true) granted = granted === true ? verdict : (Math.min(granted as number, verdict) as 0 | 1 | 2);
      }
      return granted;
    };
  }
  const read = layers.flatMap((l) => (l.authorizeRead ? [l.authorizeRead.bind(l)] : []));
  if (read.length) hooks.authorizeRead = (client, topic) => read.every((hook) => hook(client, topic));
  return hooks;
}
