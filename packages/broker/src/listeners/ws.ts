import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Broker } from '../broker.ts';
import type { Transport, TransportEvents } from '../wire.ts';
import type { TlsFiles } from './tcp.ts';

/** Every MQTT write is one binary frame, never compressed (perMessageDeflate is off anyway). */
const SEND_OPTIONS = { binary: true, compress: false } as const;
/** Close codes (RFC 6455 7.4.1). */
const NORMAL_CLOSURE = 1000;
const UNSUPPORTED_DATA = 1003;

/** The WebSocket an upgraded socket carries, so the socket's shared `drain` listener finds it. */
const OWNER = Symbol('mqttkit.webSocket');
type UpgradedSocket = Duplex & { [OWNER]?: MqttWebSocket };

// One set of listener functions for every connection (`this` is the emitter, always an MqttWebSocket: ws types it
// as its base class): no closures per connection.
function onMessage(this: WebSocket, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
  // [MQTT-6.0.0-1] MQTT travels in binary frames only: any other data frame closes the connection.
  if (!isBinary) {
    this.close(UNSUPPORTED_DATA, 'MQTT needs binary frames');
    return;
  }
  const events = (this as MqttWebSocket).events;
  if (events === undefined) return;
  // binaryType is 'nodebuffer': a Buffer, a view into the socket's read that ws unmasked in place.
  if (Array.isArray(data)) for (const part of data) events.data(part);
  else events.data(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
}
function onClose(this: WebSocket): void {
  (this as MqttWebSocket).events?.close();
}
function onError(this: WebSocket): void {
  // ws has already sent its close frame (1002, 1009, ...): let it go out, but do not wait ws's 30 s for the peer.
  setTimeout(terminateLater, 2000, this).unref();
}
// ws has no drain event: the socket's tells us when output that congested the connection went out.
function onSocketDrain(this: UpgradedSocket): void {
  this[OWNER]?.events?.drain();
}
function terminateLater(socket: WebSocket): void {
  socket.terminate();
}

/**
 * A `ws` WebSocket that is also the broker transport: each `write` is one binary frame, each binary message is
 * handed to the broker's decoder (which joins packets across frames and splits several per frame).
 * Extending the class (ws's documented `WebSocket` server option) instead of wrapping it saves an object per
 * connection, and its listeners are shared functions, not closures: an idle connection's memory is what the broker
 * is judged on.
 */
export class MqttWebSocket extends WebSocket implements Transport {
  remoteAddress = 'unknown';
  events: TransportEvents | undefined = undefined;

  start(events: TransportEvents): void {
    this.events = events;
    this.on('message', onMessage);
    this.on('close', onClose);
    this.on('error', onError);
  }

  write(chunk: Uint8Array): void {
    if (this.readyState === WebSocket.OPEN) this.send(chunk, SEND_OPTIONS);
  }

  end(): void {
    if (this.readyState === WebSocket.OPEN) this.close(NORMAL_CLOSURE);
    // Do not wait ws's 30 s for a peer that never answers the close frame.
    if (this.readyState !== WebSocket.CLOSED) setTimeout(terminateLater, 2000, this).unref();
  }
}

/** MQTT 5.0 6.0: the client offers "mqtt" (older clients "mqttv3.1"); the server answers with the one it picked. */
function pickSubprotocol(offered: Set<string>): string | false {
  return offered.has('mqtt') ? 'mqtt' : offered.has('mqttv3.1') ? 'mqttv3.1' : false;
}

function refuse(socket: Duplex, status: string, extraHeaders = ''): void {
  socket.on('error', () => socket.destroy());
  const body = `${status}\n`;
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n${extraHeaders}Content-Length: ${body.length}\r\n\r\n${body}`);
}

/** Normalises the `wsPath` option: one path or several, each starting with `/`; default `/mqtt`. */
export function webSocketPaths(path: string | readonly string[] | undefined): string[] {
  const paths = path === undefined ? ['/mqtt'] : typeof path === 'string' ? [path] : [...path];
  if (paths.length === 0) throw new Error('wsPath: give at least one path, e.g. "/mqtt"');
  for (const p of paths) if (!p.startsWith('/')) throw new Error(`wsPath: "${p}" must start with "/", e.g. "/mqtt"`);
  return paths;
}

/**
 * An HTTP(S) server accepting WebSocket upgrades (through `ws`) on `paths` (default `/mqtt`) with subprotocol
 * `mqtt` (MQTT 5.0 6.0: the client offers "mqtt"; older clients also "mqttv3.1", accepted too). An upgrade on any
 * other path gets HTTP 404 and a log line naming the paths served, so a misconfigured client is easy to spot;
 * a plain HTTP request on a served path gets 426.
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
    WebSocket: MqttWebSocket,
    clientTracking: false, // the broker tracks its connections; a second Set per socket is memory for nothing
    perMessageDeflate: false,
    // A frame may carry many packets (clients that coalesce, like ours); each packet is still held to maxPacketSize.
    maxPayload: Math.max(broker.limits.maxPacketSize + 8, 8 * 1024 * 1024),
    // Text frames are refused unread ([MQTT-6.0.0-1]), so validating their UTF-8 is work for nothing.
    skipUTF8Validation: true,
    handleProtocols: pickSubprotocol,
  });
  // A request ws will not upgrade (wrong method, headers): answer as ws would, and say why in the log.
  wss.on('wsClientError', (error, socket, request) => {
    const status = request.method === 'GET' ? '400 Bad Request' : '405 Method Not Allowed';
    broker.log.info(`websocket upgrade refused (HTTP ${status.slice(0, 3)})`, { path: pathOf(request.url), address: request.socket.remoteAddress, reason: error.message });
    refuse(socket, status, 'Sec-WebSocket-Version: 13\r\n');
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: UpgradedSocket, head: Buffer) => {
    const path = pathOf(request.url);
    if (!paths.has(path)) {
      broker.log.warn('websocket upgrade refused: path not served (HTTP 404)', { path, address: request.socket.remoteAddress, served: [...paths].join(',') });
      refuse(socket, '404 Not Found');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.remoteAddress = request.socket.remoteAddress ?? 'unknown';
      socket[OWNER] = ws;
      socket.on('drain', onSocketDrain);
      broker.handle(ws);
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
