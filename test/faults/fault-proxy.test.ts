/** The fault proxy itself: transparent when calm, and each fault does what it says, deterministically. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { NO_FAULTS, startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { createRandom } from '../support/random.ts';

interface Sink {
  port: number;
  /** Chunks each accepted connection received, in order. */
  received: Buffer[][];
  /** Resolves when `n` bytes have arrived in total on connection `i`, or when it closes. */
  bytes(i: number, n: number): Promise<Buffer>;
  closed(i: number): Promise<void>;
  close(): Promise<void>;
}

/** A TCP server that records what it receives and echoes it back. */
async function startSink(): Promise<Sink> {
  const received: Buffer[][] = [];
  const sockets: net.Socket[] = [];
  const waiters = new Set<() => void>();
  const closes: Promise<void>[] = [];
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    received.push(chunks);
    sockets.push(socket);
    closes.push(new Promise((resolve) => socket.on('close', () => {
      resolve();
      for (const w of waiters) w();
    })));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      socket.write(chunk);
      for (const w of waiters) w();
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const until = async (ready: () => boolean): Promise<void> => {
    while (!ready()) await new Promise<void>((resolve) => {
      const wake = () => {
        waiters.delete(wake);
        resolve();
      };
      waiters.add(wake);
    });
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    async bytes(i, n) {
      await until(() => (received[i] !== undefined && Buffer.concat(received[i]).length >= n) || (closes[i] !== undefined && sockets[i]!.destroyed));
      return Buffer.concat(received[i]!);
    },
    async closed(i) {
      await until(() => closes[i] !== undefined);
      await closes[i];
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Collects what a socket receives until `n` bytes or its close. */
function readBytes(socket: net.Socket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = () => {
      socket.off('data', onData);
      resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= n) done();
    };
    socket.on('data', onData);
    socket.once('close', done);
  });
}

const closeOf = (socket: net.Socket): Promise<void> => new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(faults: Partial<typeof NO_FAULTS>, seed = 1): Promise<{ sink: Sink; proxy: FaultProxy }> {
  const sink = await startSink();
  const proxy = await startFaultProxy({ target: { port: sink.port }, seed, faults });
  cleanup.push(() => sink.close(), () => proxy.close());
  return { sink, proxy };
}

describe('fault proxy', () => {
  it('is transparent without faults: 1 MiB each way arrives intact and in order', async () => {
    const { sink, proxy } = await setup({});
    const data = Buffer.from(createRandom(7).bytes(1024 * 1024));
    const socket = await connect(proxy.port);
    cleanup.push(async () => void socket.destroy());
    const echoed = readBytes(socket, data.length);
    socket.write(data);
    expect((await sink.bytes(0, data.length)).equals(data)).toBe(true);
    expect((await echoed).equals(data)).toBe(true);
    expect(proxy.counts).toMatchObject({ connections: 1, drops: 0, bytesUp: data.length, bytesDown: data.length });
  });

  it('split: a chunk leaves as many writes of at most splitMax bytes, bytes intact', async () => {
    const { sink, proxy } = await setup({ split: 1, splitMax: 3 });
    const data = Buffer.from(createRandom(8).bytes(600));
    const socket = await connect(proxy.port);
    cleanup.push(async () => void socket.destroy());
    socket.write(data);
    expect((await sink.bytes(0, data.length)).equals(data)).toBe(true);
    // Without coalescing by the kernel every segment holds 1-3 bytes; some coalescing is allowed.
    expect(sink.received[0]!.length).toBeGreaterThan(data.length / 30);
    expect(proxy.counts.splits).toBeGreaterThan(0);
  });

  it('merge: writes arriving close together leave as fewer, larger writes', async () => {
    const { sink, proxy } = await setup({ merge: 1, mergeMs: 20 });
    const socket = await connect(proxy.port);
    cleanup.push(async () => void socket.destroy());
    socket.setNoDelay(true);
    const parts = Array.from({ length: 50 }, (_, i) => Buffer.from([i]));
    for (const part of parts) {
      socket.write(part);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await sink.bytes(0, 50)).equals(Buffer.concat(parts))).toBe(true);
    expect(proxy.counts.merges).toBeGreaterThan(0);
    expect(sink.received[0]!.length).toBeLessThan(50);
  });

  it('stall and delay hold bytes back for at least the drawn time', async () => {
    const { sink, proxy } = await setup({ stall: 1, stallMs: [150, 150] });
    const socket = await connect(proxy.port);
    cleanup.push(async () => void socket.destroy());
    const started = performance.now();
    socket.write('x');
    await sink.bytes(0, 1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(proxy.counts.stalls).toBe(1);
  });

  it('drop: forwards exactly the bytes before the drop point, then closes both sides', async () => {
    const { sink, proxy } = await setup({ drop: 1, dropAfter: [1000, 1000] });
    const socket = await connect(proxy.port);
    const data = Buffer.from(createRandom(9).bytes(5000));
    socket.on('error', () => {});
    socket.write(data);
    await closeOf(socket);
    await sink.closed(0);
    await proxy.idle();
    const got = Buffer.concat(sink.received[0]!);
    // The drop direction is drawn: up (the sink saw 1000 bytes) or down (the sink saw all, we got 1000 back).
    if (proxy.log.some((l) => l.includes('up drop@1000'))) expect(got.equals(data.subarray(0, 1000))).toBe(true);
    else expect(proxy.log.some((l) => l.includes('down drop@1000'))).toBe(true);
    expect(proxy.counts.drops).toBe(1);
    expect(proxy.open).toBe(0);
  });

  it('dropAll cuts every open connection', async () => {
    const { proxy } = await setup({});
    const sockets = await Promise.all([connect(proxy.port), connect(proxy.port), connect(proxy.port)]);
    for (const s of sockets) s.on('error', () => {});
    await Promise.all(sockets.map((s) => new Promise((resolve) => { s.write('hi'); s.once('data', resolve); })));
    expect(proxy.open).toBe(3);
    proxy.dropAll();
    await Promise.all(sockets.map(closeOf));
    await proxy.idle();
    expect(proxy.open).toBe(0);
  });

  it('a client FIN reaches the target after the bytes before it', async () => {
    const { sink, proxy } = await setup({ delay: 1, delayMs: [30, 30] });
    const socket = await connect(proxy.port);
    socket.end('last words');
    await sink.closed(0);
    expect(Buffer.concat(sink.received[0]!).toString()).toBe('last words');
    await closeOf(socket);
    await proxy.idle();
    expect(proxy.open).toBe(0);
  });

  it('the same seed gives the same faults for the same traffic', async () => {
    const runOnce = async () => {
      const { sink, proxy } = await setup({ split: 0.5, splitMax: 4, drop: 0.5, dropAfter: [10, 300] }, 42);
      for (let c = 0; c < 4; c++) {
        const socket = await connect(proxy.port);
        socket.on('error', () => {});
        // One write at a time, each echoed before the next, so chunking is the same on every run.
        for (let i = 0; i < 5 && !socket.destroyed; i++) {
          const echoed = readBytes(socket, 40);
          socket.write(Buffer.alloc(40, i));
          await echoed;
        }
        socket.destroy();
        await closeOf(socket);
      }
      await sink.close();
      return proxy.log.filter((l) => l.includes('drop@')).join(',');
    };
    const first = await runOnce();
    expect(first).toMatch(/drop@/);
    expect(await runOnce()).toBe(first);
  });

  it('carries WebSocket traffic (HTTP upgrade and frames) through split writes', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    wss.on('connection', (ws) => ws.on('message', (m, binary) => ws.send(m, { binary })));
    const proxy = await startFaultProxy({ target: { port: (wss.address() as net.AddressInfo).port }, seed: 3, faults: { split: 0.5, splitMax: 5, merge: 0.3, mergeMs: 2 } });
    cleanup.push(() => new Promise((resolve) => wss.close(() => resolve())), () => proxy.close());
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const got: string[] = [];
    const all = new Promise<void>((resolve) => ws.on('message', (m) => got.push(String(m)) === 100 && resolve()));
    for (let i = 0; i < 100; i++) ws.send(`message ${i} ${'x'.repeat(i * 10)}`);
    await all;
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => `message ${i} ${'x'.repeat(i * 10)}`));
    expect(proxy.counts.splits).toBeGreaterThan(0);
    ws.close();
  });
});
