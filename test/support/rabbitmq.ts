/**
 * Starts Debian's RabbitMQ 3.10.8 with `rabbitmq_mqtt` and `rabbitmq_web_mqtt` (MQTT 3.1 and 3.1.1, no 5.0) for
 * tests, as plain processes on 127.0.0.1: one node or a cluster, each node with MQTT over TCP and over WebSocket
 * (`ws://127.0.0.1:PORT/ws`) on free ports, all state under a temporary directory (its own HOME and Erlang
 * cookie), a private epmd; the Debian service wrappers, /etc/rabbitmq and /var/lib/rabbitmq are not used.
 *
 * ```ts
 * const cluster = await startRabbitMq();      // ~10–20 s: start it once per file, not per test
 * const [node] = cluster.nodes;               // node.tcpPort, node.wsUrl; guest/guest or no credentials
 * await cluster.close();
 * ```
 *
 * A stopped node of a 2-node cluster takes ~110 s to come back (its MQTT plugin waits for a Raft majority), so
 * tests should not restart nodes of a 2-node cluster.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  HOST, bootCluster, ErlangNode, freePorts, runOk, spawnDaemon, type BrokerNode, type ClusterContext, type Daemon,
} from './erlang-node.ts';

const BIN = '/usr/lib/rabbitmq/bin';
/** A fresh node listens after 10–21 s on this machine (median 14 s); allow for a much busier one. */
const START_TIMEOUT_MS = 120_000;
/** A graceful stop takes 3.5–7 s. */
const STOP_TIMEOUT_MS = 30_000;
/** One `rabbitmqctl` call boots a VM and the CLI (~1–3 s). */
const CTL_TIMEOUT_MS = 90_000;

export interface RabbitMqOptions {
  /** Number of nodes, joined into one cluster (default 1). */
  nodes?: number;
  /** Username → password, added with full permissions on `/` (besides the built-in guest/guest). */
  users?: Record<string, string>;
  /** Extra `rabbitmq.conf` lines, e.g. `mqtt.durable_queue_type = quorum`. */
  extraConfig?: string[];
}

/** A RabbitMQ node; `wsUrl` is `ws://127.0.0.1:{wsPort}/ws`; `ctl(...)` runs `rabbitmqctl -n NODE`. */
export type RabbitMqNode = BrokerNode;

export interface RabbitMqCluster {
  readonly nodes: readonly RabbitMqNode[];
  /** Stops every node, the private epmd, and deletes the temporary directory. */
  close(): Promise<void>;
}

/** Starts `options.nodes` RabbitMQ nodes (in parallel), joins them into one cluster and adds `options.users`. */
export async function startRabbitMq(options: RabbitMqOptions = {}): Promise<RabbitMqCluster> {
  const { nodes, close } = await bootCluster(
    'rabbitmq',
    options.nodes ?? 1,
    (root) => {
      // Shared by every node and CLI call: HOME holds the Erlang cookie.
      const home = path.join(root, 'home');
      mkdirSync(home);
      writeFileSync(path.join(home, '.erlang.cookie'), randomBytes(18).toString('hex'));
      chmodSync(path.join(home, '.erlang.cookie'), 0o400);
      return { ...process.env, HOME: home };
    },
    async (context, index) => {
      const [amqpPort, distPort, tcpPort, wsPort] = (await freePorts(4)) as [number, number, number, number];
      return new RabbitProcess(context, index, { amqpPort, distPort, tcpPort, wsPort }, options);
    },
    (node, first) => node.join(first.name),
  );
  try {
    for (const [user, password] of Object.entries(options.users ?? {})) {
      await nodes[0]!.ctl('add_user', user, password);
      await nodes[0]!.ctl('set_permissions', '-p', '/', user, '.*', '.*', '.*');
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { nodes, close };
}

interface Ports {
  amqpPort: number;
  distPort: number;
  tcpPort: number;
  wsPort: number;
}

class RabbitProcess extends ErlangNode {
  private readonly nodeEnv: NodeJS.ProcessEnv;

  constructor(context: ClusterContext, index: number, ports: Ports, options: RabbitMqOptions) {
    const name = `rabbit${index}@localhost`;
    const dir = path.join(context.root, `n${index}`);
    super({
      name,
      dir,
      tcpPort: ports.tcpPort,
      wsPort: ports.wsPort,
      wsPath: '/ws',
      pidFile: path.join(dir, 'rabbit.pid'),
      logFile: path.join(dir, 'log', `${name}.log`),
      startTimeoutMs: START_TIMEOUT_MS,
      stopTimeoutMs: STOP_TIMEOUT_MS,
    });
    for (const sub of ['conf.d', 'mnesia', 'log']) mkdirSync(path.join(dir, sub), { recursive: true });
    const loopbackOnly = '-kernel inet_dist_use_interface {127,0,0,1}';
    this.nodeEnv = {
      ...context.env,
      RABBITMQ_NODENAME: name,
      RABBITMQ_NODE_IP_ADDRESS: HOST,
      RABBITMQ_NODE_PORT: String(ports.amqpPort),
      RABBITMQ_DIST_PORT: String(ports.distPort),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: loopbackOnly,
      RABBITMQ_CTL_ERL_ARGS: loopbackOnly,
      // Each of these replaces a file under /etc/rabbitmq or /var/lib/rabbitmq.
      RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
      RABBITMQ_CONFIG_FILES: path.join(dir, 'conf.d'),
      RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(dir, 'log'),
      RABBITMQ_PID_FILE: this.layout.pidFile,
    };
    writeFileSync(path.join(dir, 'rabbitmq-env.conf'), '');
    // What `rabbitmq-plugins --offline enable rabbitmq_mqtt rabbitmq_web_mqtt` writes.
    writeFileSync(path.join(dir, 'enabled_plugins'), '[rabbitmq_mqtt,rabbitmq_web_mqtt].\n');
    writeFileSync(path.join(dir, 'rabbitmq.conf'), [
      `listeners.tcp.default = ${HOST}:${ports.amqpPort}`,
      `mqtt.listeners.tcp.default = ${HOST}:${ports.tcpPort}`,
      `web_mqtt.tcp.ip = ${HOST}`,
      `web_mqtt.tcp.port = ${ports.wsPort}`,
      'web_mqtt.ws_path = /ws',
      'mqtt.allow_anonymous = true',
      'mqtt.default_user = guest',
      'mqtt.default_pass = guest',
      'mqtt.vhost = /',
      'mqtt.exchange = amq.topic',
      'log.file.level = info',
      'log.console = false',
      ...(options.extraConfig ?? []),
      '',
    ].join('\n'));
  }

  protected launch(): Daemon {
    return spawnDaemon(path.join(BIN, 'rabbitmq-server'), [], this.nodeEnv, this.layout.dir);
  }

  async ctl(...args: string[]): Promise<string> {
    // The CLI's own distribution listener needs a port too: a fresh free one per call.
    const [ctlPort] = (await freePorts(1)) as [number];
    const env = { ...this.nodeEnv, RABBITMQ_CTL_DIST_PORT_MIN: String(ctlPort), RABBITMQ_CTL_DIST_PORT_MAX: String(ctlPort) };
    return runOk(path.join(BIN, 'rabbitmqctl'), ['-n', this.name, ...args], env, CTL_TIMEOUT_MS);
  }

  async join(otherNode: string): Promise<void> {
    await this.ctl('stop_app');
    await this.ctl('join_cluster', otherNode);
    await this.ctl('start_app');
    await this.waitForListeners(' again after join_cluster');
  }
}
