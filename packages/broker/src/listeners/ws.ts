import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Broker } from '../broker.ts';
import type { Transport, TransportEvents } from '../wire.ts';
import type { TlsFiles } from './tcp.ts';

/** A WebSocket as a broker transport: each write is one binary frame. */
export function webSocketTransport(socket: WebSocket, remoteAddress: string, lowWater: number): Transport {
  let onWritten: (() => void) | undefined;
  return {
    remoteAddress,
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    start(events: TransportEvents) {
      socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
        if (Array.isArray(data)) for (const part of data) events.data(part);
        else events.data(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
      });
      socket.on('error', () => socket.terminate());
      socket.on('close', () => events.close());
      // ws has no drain event: the send callback of a write made while congested tells us when it went out.
      onWritten = () => {
        if (socket.bufferedAmount < lowWater) events.drain();
      };
    },
    write(chunk: Uint8Array) {
      if (socket.readyState !== socket.OPEN) return;
      socket.send(chunk, { binary: true, compress: false }, socket.bufferedAmount + chunk.length > lowWater ? onWritten : undefined);
    },
    end() {
      if (socket.readyState === socket.OPEN) socket.close();
      setTimeout(() => socket.terminate(), 2000).unref();
    },
  };
}

/** Normalises the `wsPath` option: one path or several, each starting with `/`; default `/mqtt`. */
export function webSocketPaths(path: string | readonly string[] | undefined): string[] {
  const paths = path === undefined ? ['/mqtt'] : typeof path === 'string' ? [path] : [...path];
  if (paths.length === 0) throw new Error('wsPath: give at least one path, e.g. "/mqtt"');
  for (const p of paths) if (!p.startsWith('/')) throw new Error(`wsPath: "${p}" must start with "/", e.g. "/mqtt"`);
  return paths;
}

/**
 * An HTTP(S) server accepting WebSocket upgrades on `paths` (default `/mqtt`) with subprotocol `mqtt`
 * (MQTT 5.0 6.0: the client offers "mqtt"; older clients also "mqttv3.1", accepted too). An upgrade on any other
 * path gets HTTP 404 and a log line naming the paths served, so a misconfigured client is easy to spot.
 */
export function createWebSocketServer(broker: Broker, options: { path?: string | readonly string[]; tls?: TlsFiles } = {}): http.Server {
  const paths = new Set(webSocketPaths(options.path));
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }) : http.createServer();
  server.on('request', (request, response) => {
    if (!paths.has(pathOf(request.url))) response.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found: MQTT over WebSocket is served on ${[...paths].join(', ')}\n`);
    else response.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket: connect with subprotocol "mqtt"\n');
  });
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false, // the broker tracks its connections; a second Set per socket is memory for nothing
    perMessageDeflate: false,
    // A frame may carry many packets (clients that coalesce, like ours); each packet is still held to maxPacketSize.
    maxPayload: Math.max(broker.limits.maxPacketSize + 8, 8 * 1024 * 1024),
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = pathOf(request.url);
    if (!paths.has(path)) {
      broker.log.warn('websocket upgrade refused: path not served (HTTP 404)', { path, address: request.socket.remoteAddress, served: [...paths].join(',') });
      socket.on('error', () => socket.destroy());
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nNot found\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const address = request.socket.remoteAddress ?? 'unknown';
      request.socket.setNoDelay(true);
      broker.handle(webSocketTransport(ws, address, broker.limits.maxWriteBuffer));
    });
  });
  wss.on('error', (error) => broker.log.error('websocket listener error', { error: String(error) }));
  server.on('error', (error) => broker.log.error('http listener error', { error: String(error) }));
  return server;
}

/** The path of a request target, without its query string. */
function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}
