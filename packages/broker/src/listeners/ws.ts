import http from 'node:http';
import https from 'node:https';
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

/**
 * An HTTP(S) server accepting WebSocket upgrades on `path` (default `/mqtt`) with subprotocol `mqtt`
 * (MQTT 5.0 6.0: the client offers "mqtt"; older clients also "mqttv3.1", accepted too).
 */
export function createWebSocketServer(broker: Broker, options: { path?: string; tls?: TlsFiles } = {}): http.Server {
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }) : http.createServer();
  server.on('request', (_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket: connect with subprotocol "mqtt"\n');
  });
  const wss = new WebSocketServer({
    server,
    path: options.path ?? '/mqtt',
    perMessageDeflate: false,
    // A frame may carry many packets (clients that coalesce, like ours); each packet is still held to maxPacketSize.
    maxPayload: Math.max(broker.limits.maxPacketSize + 8, 8 * 1024 * 1024),
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
  });
  wss.on('connection', (socket, request) => {
    const address = request.socket.remoteAddress ?? 'unknown';
    request.socket.setNoDelay(true);
    broker.handle(webSocketTransport(socket, address, broker.limits.maxWriteBuffer));
  });
  wss.on('error', (error) => broker.log.error('websocket listener error', { error: String(error) }));
  server.on('error', (error) => broker.log.error('http listener error', { error: String(error) }));
  return server;
}
