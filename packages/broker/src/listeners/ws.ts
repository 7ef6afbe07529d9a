import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { createHash } from 'node:crypto';
import type { Broker } from '../broker.ts';
import type { Transport, TransportEvents } from '../wire.ts';
import type { TlsFiles } from './tcp.ts';
import { binaryFrame, binaryFrameHeader, closeFrame, CloseCode, controlFrame, FrameReader, type FrameEvents } from './websocket-frames.ts';

/** Frames at least this big go out as header + payload in two writes instead of being copied into one. */
const COPY_LIMIT = 16 * 1024;

/** The transport an upgraded socket carries, found by the shared socket listeners below. */
const TRANSPORT = Symbol('mqttkit.webSocketTransport');
type UpgradedSocket = Duplex & { writableLength: number; [TRANSPORT]?: WebSocketTransport };

// One set of listener functions for every socket (`this` is the socket): no closures per connection.
function onData(this: UpgradedSocket, chunk: Buffer): void {
  this[TRANSPORT]!.receive(chunk);
}
function onDrain(this: UpgradedSocket): void {
  this[TRANSPORT]!.events?.drain();
}
function onError(this: UpgradedSocket): void {
  this.destroy();
}
function onClose(this: UpgradedSocket): void {
  this[TRANSPORT]!.events?.close();
}
function destroyLater(socket: Duplex): void {
  socket.destroy();
}

/**
 * An upgraded socket as a broker transport: each `write` is one binary frame, incoming frames become one MQTT
 * byte stream (see `FrameReader`). Back-pressure is the socket's own (`writableLength`, `drain`). A class with
 * shared socket listeners rather than closures: an idle connection's memory is what the broker is judged on.
 */
export class WebSocketTransport implements Transport, FrameEvents {
  events: TransportEvents | undefined;
  private readonly reader: FrameReader;
  private closing = false;

  constructor(
    private readonly socket: UpgradedSocket,
    readonly remoteAddress: string,
    private head: Uint8Array | undefined,
    maxPayload: number,
  ) {
    this.reader = new FrameReader(maxPayload);
  }

  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  start(events: TransportEvents): void {
    this.events = events;
    const socket = this.socket;
    socket[TRANSPORT] = this;
    socket.on('data', onData);
    socket.on('drain', onDrain);
    socket.on('error', onError);
    socket.on('close', onClose);
    const head = this.head;
    this.head = undefined;
    if (head && head.length > 0) this.reader.push(head, this);
    socket.resume();
  }

  receive(chunk: Uint8Array): void {
    this.reader.push(chunk, this);
  }

  // FrameEvents
  data(bytes: Uint8Array): void {
    this.events?.data(bytes);
  }

  ping(payload: Uint8Array): void {
    if (!this.closing && !this.socket.destroyed) this.socket.write(controlFrame(0xa, payload));
  }

  closed(code: number | undefined): void {
    this.close(code === undefined || code === 1005 ? CloseCode.Normal : code);
  }

  failed(code: number): void {
    this.close(code);
  }

  write(chunk: Uint8Array): void {
    const socket = this.socket;
    if (this.closing || socket.destroyed) return;
    if (chunk.length < COPY_LIMIT) {
      socket.write(binaryFrame(chunk));
      return;
    }
    socket.cork();
    socket.write(binaryFrameHeader(chunk.length));
    socket.write(chunk);
    socket.uncork();
  }

  end(): void {
    this.close(CloseCode.Normal);
  }

  private close(code: number): void {
    if (this.closing) return;
    this.closing = true;
    const socket = this.socket;
    if (!socket.destroyed) {
      socket.write(closeFrame(code));
      socket.end();
    }
    // Do not wait for a peer that never closes its side.
    setTimeout(destroyLater, 2000, socket).unref();
  }
}

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Why an upgrade request is not a WebSocket handshake we can accept (RFC 6455 4.2.1), or undefined. */
function handshakeProblem(request: http.IncomingMessage): string | undefined {
  if (request.method !== 'GET') return `method ${request.method}, expected GET`;
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return 'Upgrade header is not "websocket"';
  const key = request.headers['sec-websocket-key'];
  if (!key || !/^[A-Za-z0-9+/]{22}==$/.test(key.trim())) return 'missing or malformed Sec-WebSocket-Key';
  const version = request.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return `Sec-WebSocket-Version ${version ?? '(none)'}, expected 13`;
  return undefined;
}

/** MQTT 5.0 6.0: the client offers "mqtt" (older clients "mqttv3.1"); the server answers with the one it picked. */
function pickSubprotocol(offered: string | undefined): string | undefined {
  if (!offered) return undefined;
  const protocols = offered.split(',').map((p) => p.trim());
  return protocols.includes('mqtt') ? 'mqtt' : protocols.includes('mqttv3.1') ? 'mqttv3.1' : undefined;
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
  // A frame may carry many packets (clients that coalesce, like ours); each packet is still held to maxPacketSize.
  const maxPayload = Math.max(broker.limits.maxPacketSize + 8, 8 * 1024 * 1024);
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = pathOf(request.url);
    const address = request.socket.remoteAddress ?? 'unknown';
    if (!paths.has(path)) {
      broker.log.warn('websocket upgrade refused: path not served (HTTP 404)', { path, address, served: [...paths].join(',') });
      refuse(socket, '404 Not Found');
      return;
    }
    const problem = handshakeProblem(request);
    if (problem) {
      broker.log.info('websocket upgrade refused (HTTP 400)', { path, address, reason: problem });
      refuse(socket, '400 Bad Request', 'Sec-WebSocket-Version: 13\r\n');
      return;
    }
    const accept = createHash('sha1').update(request.headers['sec-websocket-key']!.trim() + HANDSHAKE_GUID).digest('base64');
    const protocol = pickSubprotocol(request.headers['sec-websocket-protocol']);
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : ''}\r\n`);
    request.socket.setNoDelay(true);
    request.socket.setTimeout(0); // the HTTP server's idle timeouts do not apply to MQTT (keepalive does)
    // `head` is a view into the HTTP parser's chunk: copied, since the reader unmasks in place.
    broker.handle(new WebSocketTransport(request.socket, address, head.length > 0 ? new Uint8Array(head) : undefined, maxPayload));
  });
  server.on('error', (error) => broker.log.error('http listener error', { error: String(error) }));
  return server;
}

/** The path of a request target, without its query string. */
function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}
