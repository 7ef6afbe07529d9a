/** close() during the WebSocket handshake, with Node's `ws`: the client settles, nothing escapes as uncaught. */
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { MqttClient } from '../../src/client/index.ts';
import type { WebSocketConstructor } from '../../src/client/types.ts';

describe('close() while the WebSocket is still connecting', () => {
  it('ends the attempt without an uncaught "closed before the connection was established" error', async () => {
    // A server that accepts TCP but never answers the HTTP upgrade: the handshake stays pending.
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const client = new MqttClient({ url: `ws://127.0.0.1:${port}/mqtt`, WebSocket: WebSocket as unknown as WebSocketConstructor, reconnect: false });
      const connecting = client.connect().catch((error: unknown) => error);
      await new Promise<void>((resolve) => server.once('connection', () => resolve()));
      await client.close();
      expect(await connecting).toBeInstanceOf(Error);
      // ws emits its handshake error on the next tick; give it a few ticks to surface if unhandled.
      for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      expect(uncaught).toEqual([]);
      expect(client.state.getSnapshot().status).toBe('closed');
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
