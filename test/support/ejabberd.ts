/**
 * Starts Debian's ejabberd 23.01 (`mod_mqtt`: MQTT 3.1.1 and 5.0) for tests, as plain processes on 127.0.0.1:
 * one node or a cluster, each node with MQTT over TCP and over WebSocket (`ws://127.0.0.1:PORT/mqtt`) on free
 * ports, all state under a temporary directory, a private epmd, nothing under /etc or /var/lib read or written.
 *
 * ```ts
 * const cluster = await startEjabberd({ nodes: 2, users: { alice: 'secret' } });
 * const [one, two] = cluster.nodes;           // subscriber on one.wsUrl, publisher on two.tcpPort ...
 * await one.stop();                           // graceful; one.restart() brings it back with its data
 * await cluster.close();                      // every node, epmd, the temporary directory
 * ```
 *
 * ejabberd needs a username **and** a non-empty password on every CONNECT, even in anonymous mode; with the
 * default `internal` auth only registered users (`users`, `cluster.register`) get in.
 * As root, `ejabberdctl` runs the VM as the `ejabberd` user, so the state directory is handed to that user.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  HOST, bootCluster, ErlangNode, freePorts, runOk, spawnDaemon, type BrokerNode, type ClusterContext, type Daemon,
} from './erlang-node.ts';

const EJABBERDCTL = '/usr/sbin/ejabberdctl';
/** A fresh node listens after 2.4–3.9 s on an idle machine, up to 8 s on a busy one; allow for a much busier one. */
const START_TIMEOUT_MS = 90_000;
/** A graceful stop takes 1–6 s. */
const STOP_TIMEOUT_MS = 30_000;
/** One `ejabberdctl` call boots a VM (~1.5 s); `join_cluster` restarts the node's applications (~3 s). */
const CTL_TIMEOUT_MS = 90_000;

export interface EjabberdOptions {
  /** Number of nodes, joined into one cluster (default 1). */
  nodes?: number;
  /** Username → password, registered once the cluster is up (`internal` auth). */
  users?: Record<string, string>;
  /**
   * `internal` (default): only registered users with their password. `anonymous`: any username with any non-empty
   * password (ejabberd's `login_anon`).
   */
  auth?: 'internal' | 'anonymous';
  /** mod_mqtt `session_expiry` in seconds for 3.1.1 persistent sessions and 5.0 clients asking more (default 300). */
  sessionExpiry?: number;
}

/** An ejabberd node; `wsUrl` is `ws://127.0.0.1:{wsPort}/mqtt`; `ctl(...)` runs `ejabberdctl`. */
export interface EjabberdNode extends BrokerNode {
  /**
   * Evaluates Erlang expressions on the node (from a hidden probe node) and resolves with the printed result, for
   * diagnostics: `node.eval('ets:tab2list(mqtt_sub).')`.
   */
  eval(expressions: string): Promise<string>;
}

export interface EjabberdCluster {
  readonly nodes: readonly EjabberdNode[];
  /** `ejabberdctl register USER localhost PASSWORD` (users are replicated to every node of the cluster). */
  register(user: string, password: string): Promise<void>;
  /** Stops every node, the private epmd, and deletes the temporary directory. */
  close(): Promise<void>;
}

/** Starts `options.nodes` ejabberd nodes (in parallel), joins them into one cluster and registers `options.users`. */
export async function startEjabberd(options: EjabberdOptions = {}): Promise<EjabberdCluster> {
  const cookie = randomBytes(18).toString('hex');
  const { nodes, close } = await bootCluster(
    'ejabberd',
    options.nodes ?? 1,
    () => process.env,
    async (context, index) => {
      const [tcpPort, wsPort] = (await freePorts(2)) as [number, number];
      const node = new EjabberdProcess(context, index, cookie, tcpPort, wsPort, options);
      // As root, ejabberdctl runs the VM as `ejabberd` (via su), which must own the state directory.
      if (process.getuid?.() === 0) await runOk('chown', ['-R', 'ejabberd:ejabberd', context.root], process.env, 10_000);
      return node;
    },
    (node, first) => node.join(first.name),
  );
  const register = async (user: string, password: string) => {
    await nodes[0]!.ctl('register', user, 'localhost', password);
  };
  try {
    await Promise.all(Object.entries(options.users ?? {}).map(([user, password]) => register(user, password)));
  } catch (error) {
    await close();
    throw error;
  }
  return { nodes, register, close };
}

class EjabberdProcess extends ErlangNode implements EjabberdNode {
  private readonly ctlConfig: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly cookie: string;

  constructor(context: ClusterContext, index: number, cookie: string, tcpPort: number, wsPort: number, options: EjabberdOptions) {
    const dir = path.join(context.root, `n${index}`);
    super({
      name: `ejabberd${index}@localhost`,
      dir,
      tcpPort,
      wsPort,
      wsPath: '/mqtt',
      pidFile: path.join(dir, 'ejabberd.pid'),
      logFile: path.join(dir, 'log', 'ejabberd.log'),
      startTimeoutMs: START_TIMEOUT_MS,
      stopTimeoutMs: STOP_TIMEOUT_MS,
    });
    this.env = context.env;
    this.cookie = cookie;
    mkdirSync(path.join(dir, 'db'), { recursive: true });
    mkdirSync(path.join(dir, 'log'), { recursive: true });
    this.ctlConfig = path.join(dir, 'ejabberdctl.cfg');
    // Replaces /etc/default/ejabberd, which would point the node at /etc/ejabberd/ejabberd.yml. No FIREWALL_WINDOW:
    // the distribution listener takes any free port on loopback and registers it with our epmd. (A fixed one would
    // also be taken by every `ejabberdctl` call's VM, which gets the same options.)
    writeFileSync(this.ctlConfig, [
      `ERLANG_NODE=${this.name}`,
      // Distribution on loopback only, said directly: INET_DIST_INTERFACE would make ejabberdctl boot an extra VM
      // on every call just to parse the address. -setcookie keeps /var/lib/ejabberd/.erlang.cookie out of it.
      `ERL_OPTIONS="-setcookie ${cookie} -kernel inet_dist_use_interface {127,0,0,1} -env ERL_CRASH_DUMP_BYTES 0"`,
      `EJABBERD_CONFIG_PATH=${path.join(dir, 'ejabberd.yml')}`,
      `SPOOL_DIR=${path.join(dir, 'db')}`,
      `EJABBERD_PID_PATH=${this.layout.pidFile}`,
      'EJABBERD_BYPASS_WARNINGS=true',
      '',
    ].join('\n'));
    writeFileSync(path.join(dir, 'ejabberd.yml'), renderConfig(tcpPort, wsPort, options));
  }

  private ctlArgs(args: string[]): string[] {
    return ['--ctl-config', this.ctlConfig, '--logs', path.join(this.layout.dir, 'log'), ...args];
  }

  protected launch(): Daemon {
    return spawnDaemon(EJABBERDCTL, this.ctlArgs(['foreground']), this.env, this.layout.dir);
  }

  ctl(...args: string[]): Promise<string> {
    return runOk(EJABBERDCTL, this.ctlArgs(args), this.env, CTL_TIMEOUT_MS);
  }

  eval(expressions: string): Promise<string> {
    const probe = `probe${randomBytes(4).toString('hex')}@localhost`;
    const program = [
      `{ok, Tokens, _} = erl_scan:string(${JSON.stringify(expressions)}),`,
      '{ok, Exprs} = erl_parse:parse_exprs(Tokens),',
      `Result = rpc:call('${this.name}', erl_eval, exprs, [Exprs, []], 10000),`,
      'io:format("~p~n", [case Result of {value, Value, _} -> Value; Other -> Other end]),',
      'halt().',
    ].join(' ');
    const args = ['-sname', probe, '-hidden', '-setcookie', this.cookie, '-noshell', '-kernel', 'inet_dist_use_interface', '{127,0,0,1}', '-eval', program];
    return runOk('erl', args, this.env, CTL_TIMEOUT_MS);
  }

  async join(otherNode: string): Promise<void> {
    await this.ctl('join_cluster', otherNode);
    await this.waitForListeners(' again after join_cluster');
  }
}

function renderConfig(tcpPort: number, wsPort: number, options: EjabberdOptions): string {
  const auth = options.auth === 'anonymous'
    ? ['auth_method: [anonymous]', 'anonymous_protocol: login_anon']
    : ['auth_method: [internal]'];
  return [
    'hosts:',
    '  - localhost',
    'loglevel: info',
    'log_rotate_count: 0',
    'acme:',
    '  auto: false',
    ...auth,
    'listen:',
    '  -',
    `    port: ${tcpPort}`,
    `    ip: "${HOST}"`,
    '    module: mod_mqtt',
    '    backlog: 1000',
    '  -',
    `    port: ${wsPort}`,
    `    ip: "${HOST}"`,
    '    module: ejabberd_http',
    // ejabberd_http's default backlog is 5: too few for a test opening many WebSockets at once.
    '    backlog: 1000',
    '    request_handlers:',
    '      /mqtt: mod_mqtt',
    'acl:',
    '  local:',
    '    user_regexp: ""',
    'access_rules:',
    '  local:',
    '    allow: local',
    'api_permissions:',
    '  "console commands":',
    '    from:',
    '      - ejabberd_ctl',
    '    who: all',
    '    what: "*"',
    'modules:',
    '  mod_mqtt:',
    `    session_expiry: ${options.sessionExpiry ?? 300}`,
    '',
  ].join('\n');
}
