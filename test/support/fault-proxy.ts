/**
 * A fault-injecting TCP proxy for tests: listens on 127.0.0.1 (port 0) and forwards each connection to a target,
 * injecting faults into the byte stream in both directions. It works below WebSocket (the HTTP upgrade and
 * frames are bytes like any other), so it serves MQTT over TCP and over WebSocket alike.
 *
 * Faults, each decided per chunk (or per connection) from a seeded random source:
 * - drop: cut the connection after a random number of bytes, mid-packet as often as not;
 * - stall: hold one direction for a while (hundreds of ms), then resume;
 * - delay: hold a chunk a few ms;
 * - split: write a chunk as many tiny writes (separate TCP segments: Nagle is off);
 * - merge: hold chunks for a moment and write them as one.
 * Every connection draws its own source from the proxy's seed in accept order, and drop points are byte
 * offsets, so a seed replays the same faults for the same traffic.
 *
 * ```ts
 * const proxy = await startFaultProxy({ target: { port: broker.wsPort }, seed, faults: { drop: 0.3, split: 0.2 } });
 * // connect the client to proxy.port (ws://127.0.0.1:${proxy.port}) ...
 * proxy.setFaults(NO_FAULTS); // calm the network to let the test finish
 * await proxy.close();
 * ```
 */
import net from 'node:net';
import { createRandom, type Random } from './random.ts';

/** Probabilities (0-1) and sizes of the faults. */
export interface Faults {
  /** Per connection: chance that it is cut after `dropAfter` bytes in one direction. */
  drop: number;
  /** Bytes before the cut, drawn uniformly from this range. */
  dropAfter: readonly [min: number, max: number];
  /** Per chunk: chance of a stall of `stallMs` before it. */
  stall: number;
  stallMs: readonly [min: number, max: number];
  /** Per chunk: chance of a delay of `delayMs` before it. */
  delay: number;
  delayMs: readonly [min: number, max: number];
  /** Per chunk: chance that it goes out as writes of 1..`splitMax` bytes. */
  split: number;
  splitMax: number;
  /** Per chunk: chance that it waits `mergeMs` for the chunks behind it and goes out with them in one write. */
  merge: number;
  mergeMs: number;
}

export const NO_FAULTS: Faults = { drop: 0, dropAfter: [0, 0], stall: 0, stallMs: [0, 0], delay: 0, delayMs: [0, 0], split: 0, splitMax: 1, merge: 0, mergeMs: 0 };

/** A lively network: some cuts, stalls, delays, splits and merges. */
export const SOME_FAULTS: Faults = {
  drop: 0.3,
  dropAfter: [1, 20_000],
  stall: 0.01,
  stallMs: [50, 400],
  delay: 0.05,
  delayMs: [1, 15],
  split: 0.1,
  splitMax: 7,
  merge: 0.1,
  mergeMs: 3,
};

export interface FaultProxyOptions {
  target: { host?: string; port: number };
  seed: number;
  /** Fault plan; any field left out is taken from NO_FAULTS. */
  faults?: Partial<Faults>;
}

export interface FaultCounts {
  connections: number;
  drops: number;
  stalls: number;
  delays: number;
  splits: number;
  merges: number;
  bytesUp: number;
  bytesDown: number;
}

export interface FaultProxy {
  readonly port: number;
  readonly seed: number;
  /** What was injected so far. */
  readonly counts: FaultCounts;
  /** Every fault injected, in order: `conn#3 up drop@1532`, `conn#3 down split 61` ... (bounded). */
  readonly log: readonly string[];
  /** Connections open now. */
  readonly open: number;
  /** Resolves once no connection is open (both sockets of each closed). */
  idle(): Promise<void>;
  /** Changes the fault plan for chunks and connections from now on (fields left out keep their value). */
  setFaults(faults: Partial<Faults>): void;
  /** Cuts every open connection now (both sockets destroyed, bytes in flight lost). */
  dropAll(): void;
  /** Stops listening and cuts every connection. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_LOG = 10_000;
/** Bytes queued in one direction before the source is paused (backpressure through the proxy). */
const HIGH_WATER = 1024 * 1024;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Starts the proxy on a free loopback port. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let faults: Faults = { ...NO_FAULTS, ...options.faults };
  const random = createRandom(options.seed);
  const counts: FaultCounts = { connections: 0, drops: 0, stalls: 0, delays: 0, splits: 0, merges: 0, bytesUp: 0, bytesDown: 0 };
  const log: string[] = [];
  const note = (line: string): void => {
    if (log.length < MAX_LOG) log.push(line);
  };
  const cuts = new Set<() => void>();
  const idleWaiters: (() => void)[] = [];
  const forget = (cut: () => void): void => {
    cuts.delete(cut);
    if (!cuts.size) for (const wake of idleWaiters.splice(0)) wake();
  };

  const server = net.createServer((client) => {
    const id = ++counts.connections;
    const r = random.fork();
    const upstream = net.connect({ host: options.target.host ?? HOST, port: options.target.port });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let closed = false;
    const cut = (): void => {
      if (closed) return;
      closed = true;
      forget(cut);
      client.destroy();
      upstream.destroy();
    };
    cuts.add(cut);
    // A FIN is forwarded after the bytes before it (see pipe); any other end of a socket cuts both.
    const ended = new Set<net.Socket>();
    let closedSockets = 0;
    const onClose = (socket: net.Socket) => (): void => {
      if (!ended.has(socket)) return cut();
      if (++closedSockets === 2) {
        closed = true;
        forget(cut);
      }
    };
    client.on('error', cut).on('close', onClose(client));
    upstream.on('error', cut).on('close', onClose(upstream));
    // One direction, or none, gets a cut point in bytes.
    const dropDirection = r.chance(faults.drop) ? r.pick(['up', 'down'] as const) : undefined;
    const dropAt = dropDirection ? r.range(faults.dropAfter[0], faults.dropAfter[1]) : Infinity;
    const pipe = (from: net.Socket, to: net.Socket, direction: 'up' | 'down', dr: Random): void => {
      const queue: Uint8Array[] = [];
      let queued = 0;
      let sent = 0;
      let pumping = false;
      const limit = direction === dropDirection ? dropAt : Infinity;
      const write = async (bytes: Uint8Array): Promise<void> => {
        if (closed) return;
        if (!to.write(bytes)) await new Promise<void>((resolve) => {
          const done = () => { to.off('drain', done); to.off('close', done); resolve(); };
          to.once('drain', done).once('close', done);
        });
      };
      const pump = async (): Promise<void> => {
        pumping = true;
        while (queue.length && !closed) {
          let chunk = queue.shift()!;
          queued -= chunk.length;
          if (queued < HIGH_WATER && from.isPaused()) from.resume();
          const f = faults;
          if (dr.chance(f.stall)) {
            const ms = dr.range(f.stallMs[0], f.stallMs[1]);
            counts.stalls++;
            note(`conn#${id} ${direction} stall ${ms}ms`);
            await sleep(ms);
          } else if (dr.chance(f.delay)) {
            counts.delays++;
            await sleep(dr.range(f.delayMs[0], f.delayMs[1]));
          }
          if (dr.chance(f.merge) && f.mergeMs > 0) {
            await sleep(f.mergeMs);
            if (queue.length) {
              counts.merges++;
              note(`conn#${id} ${direction} merge ${queue.length + 1}`);
              chunk = Buffer.concat([chunk, ...queue.splice(0)]);
              queued = 0;
              if (from.isPaused()) from.resume();
            }
          }
          // The cut: forward exactly up to the drop point, then end both sides.
          if (sent + chunk.length >= limit) {
            const keep = limit - sent;
            counts.drops++;
            note(`conn#${id} ${direction} drop@${limit}`);
            if (keep > 0) await write(chunk.subarray(0, keep));
            sent += keep;
            cut();
            break;
          }
          if (dr.chance(f.split) && chunk.length > 1) {
            counts.splits++;
            note(`conn#${id} ${direction} split ${chunk.length}`);
            for (let at = 0; at < chunk.length && !closed;) {
              const size = Math.min(chunk.length - at, dr.range(1, f.splitMax));
              await write(chunk.subarray(at, at + size));
              at += size;
              // A turn between pieces so each leaves as its own segment.
              await nextTurn();
            }
          } else {
            await write(chunk);
          }
          sent += chunk.length;
          if (direction === 'up') counts.bytesUp += chunk.length;
          else counts.bytesDown += chunk.length;
        }
        pumping = false;
        if (ended.has(from) && !queue.length && !closed) to.end();
      };
      from.on('end', () => {
        ended.add(from);
        if (!pumping) void pump();
      });
      from.on('data', (chunk: Buffer) => {
        queue.push(chunk);
        queued += chunk.length;
        if (queued >= HIGH_WATER) from.pause();
        if (!pumping) void pump();
      });
    };
    // Client bytes are read only once the upstream is connected: until then they wait in the kernel.
    client.pause();
    client.on('end', () => ended.add(client));
    upstream.once('connect', () => {
      pipe(client, upstream, 'up', r.fork());
      pipe(upstream, client, 'down', r.fork());
      client.resume();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    seed: options.seed,
    counts,
    log,
    get open() {
      return cuts.size;
    },
    idle() {
      return cuts.size ? new Promise((resolve) => idleWaiters.push(resolve)) : Promise.resolve();
    },
    setFaults(next) {
      faults = { ...faults, ...next };
    },
    dropAll() {
      for (const cut of [...cuts]) {
        counts.drops++;
        note('dropAll');
        cut();
      }
    },
    close() {
      for (const cut of [...cuts]) cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
