import net from 'node:net';
import tls from 'node:tls';
import type { Broker } from '../broker.ts';
import type { Transport, TransportEvents } from '../wire.ts';

/** A `net.Socket` (or TLS socket) as a broker transport: TCP_NODELAY on, one write per flush. */
export function socketTransport(socket: net.Socket): Transport {
  socket.setNoDelay(true);
  return {
    remoteAddress: socket.remoteAddress ?? 'unknown',
    get bufferedAmount() {
      return socket.writableLength;
    },
    start(events: TransportEvents) {
      socket.on('data', (chunk: Buffer) => events.data(chunk));
      socket.on('drain', () => events.drain());
      socket.on('error', () => socket.destroy());
      socket.on('close', () => events.close());
    },
    write(chunk) {
      // Not after end(): Node answers that with an error, and destroying the socket then resets the connection.
      if (socket.writable) socket.write(chunk);
    },
    end() {
      if (socket.destroyed) return;
      socket.end();
      // Do not wait for a peer that never closes its side.
      setTimeout(() => socket.destroy(), 2000).unref();
    },
  };
}

export interface TlsFiles {
  key: string | Buffer;
  cert: string | Buffer;
}

/** A TCP (or TLS) listener feeding every connection to `broker.handle`. */
export function createTcpServer(broker: Broker, tlsOptions?: TlsFiles): net.Server {
  const onConnection = (socket: net.Socket): void => {
    broker.handle(socketTransport(socket));
  };
  const server = tlsOptions ? tls.createServer({ key: tlsOptions.key, cert: tlsOptions.cert }, onConnection) : net.createServer(onConnection);
  server.on('error', (error) => broker.log.error('tcp listener error', { error: String(error) }));
  return server;
}
