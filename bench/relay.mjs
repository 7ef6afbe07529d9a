/**
 * The physical limit of a Node broker, for `bench/broker.ts`: CONNACK to CONNECT, SUBACK to SUBSCRIBE, PUBACK to
 * QoS 1, PINGRESP to PINGREQ, and every PUBLISH's bytes to every other subscriber, with no other MQTT logic.
 * A turn's output to one connection leaves as one frame, as the broker's does.
 *
 * `node bench/relay.mjs PORT ws`: WebSocket through `ws`, as the broker does.
 * `node bench/relay.mjs PORT socket`: WebSocket frames parsed and written by hand on the raw socket, no `ws`:
 * what is left when no WebSocket library runs at all (no extensions, no fragmented control frames, no limits).
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import { WebSocketServer } from 'ws';

const [port, mode = 'ws'] = process.argv.slice(2);

/** A connection: `send(bytes)` writes one binary frame; `held` keeps a partial MQTT packet between frames. */
const subscribers = new Set();
const pending = new Map();
let scheduled = false;

function queue(connection, bytes) {
  let list = pending.get(connection);
  if (!list) pending.set(connection, (list = []));
  list.push(bytes);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

function flush() {
  scheduled = false;
  for (const [connection, list] of pending) connection.send(list.length === 1 ? list[0] : Buffer.concat(list));
  pending.clear();
}

/** Answers or forwards each whole MQTT packet in `data` (one binary message's payload). */
function onMqtt(connection, data) {
  const buf = connection.held.length ? Buffer.concat([connection.held, data]) : data;
  let off = 0;
  for (;;) {
    if (off + 2 > buf.length) break;
    let i = off + 1;
    let len = 0;
    let mult = 1;
    let b = 0;
    do {
      b = buf[i++];
      len += (b & 127) * mult;
      mult *= 128;
    } while (b & 128 && i < buf.length);
    if (b & 128 || i + len > buf.length) break;
    const end = i + len;
    const type = buf[off] >> 4;
    if (type === 1) queue(connection, Buffer.from([0x20, 2, 0, 0]));
    else if (type === 8) {
      subscribers.add(connection);
      queue(connection, Buffer.from([0x90, 3, buf[i], buf[i + 1], buf[end - 1] & 3]));
    } else if (type === 3) {
      const packet = buf.subarray(off, end);
      for (const subscriber of subscribers) if (subscriber !== connection) queue(subscriber, packet);
      if (((buf[off] >> 1) & 3) === 1) {
        const topicLength = buf.readUInt16BE(i);
        queue(connection, Buffer.from([0x40, 2, buf[i + 2 + topicLength], buf[i + 3 + topicLength]]));
      }
    } else if (type === 12) queue(connection, Buffer.from([0xd0, 0]));
    else if (type === 14) connection.close();
    off = end;
  }
  connection.held = off < buf.length ? Buffer.from(buf.subarray(off)) : Buffer.alloc(0);
}

function closed(connection) {
  subscribers.delete(connection);
  pending.delete(connection);
}

function serveWithWs() {
  const wss = new WebSocketServer({ port: Number(port), host: '127.0.0.1', perMessageDeflate: false, handleProtocols: (p) => p.values().next().value ?? false });
  wss.on('connection', (ws) => {
    ws._socket.setNoDelay(true);
    const connection = {
      held: Buffer.alloc(0),
      send: (bytes) => ws.readyState === 1 && ws.send(bytes),
      close: () => ws.close(),
    };
    ws.on('message', (data) => onMqtt(connection, data));
    ws.on('close', () => closed(connection));
  });
}

/** A binary (or, with `opcode`, other) server frame: unmasked, with a 2, 4 or 10 byte header. */
function frame(payload, opcode = 0x2) {
  const n = payload.length;
  const header = n < 126 ? Buffer.from([0x80 | opcode, n]) : n < 65_536 ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 255]) : Buffer.alloc(10);
  if (n >= 65_536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeUInt32BE(n, 6);
  }
  return Buffer.concat([header, payload]);
}

/** Reads the client's (masked) frames from `chunk`, unmasking in place; data frames go to `onMqtt`. */
function onFrames(connection, chunk) {
  const buf = connection.raw.length ? Buffer.concat([connection.raw, chunk]) : chunk;
  let off = 0;
  for (;;) {
    if (off + 2 > buf.length) break;
    let len = buf[off + 1] & 127;
    let p = off + 2;
    if (len === 126) {
      if (p + 2 > buf.length) break;
      len = buf.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      if (p + 8 > buf.length) break;
      len = buf.readUInt32BE(p + 4);
      p += 8;
    }
    const masked = buf[off + 1] & 128;
    if (masked) p += 4;
    if (p + len > buf.length) break;
    if (masked) for (let k = 0; k < len; k++) buf[p + k] ^= buf[p - 4 + (k & 3)];
    const opcode = buf[off] & 15;
    const payload = buf.subarray(p, p + len);
    if (opcode === 0x2 || opcode === 0x0) onMqtt(connection, payload);
    else if (opcode === 0x8) connection.close();
    else if (opcode === 0x9) connection.socket.write(frame(payload, 0xa));
    off = p + len;
  }
  connection.raw = off < buf.length ? Buffer.from(buf.subarray(off)) : Buffer.alloc(0);
}

function serveRawSocket() {
  const server = http.createServer();
  server.on('upgrade', (request, socket) => {
    const accept = createHash('sha1').update(`${request.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`);
    socket.setNoDelay(true);
    const connection = {
      socket,
      raw: Buffer.alloc(0),
      held: Buffer.alloc(0),
      send: (bytes) => !socket.destroyed && socket.write(frame(bytes)),
      close: () => socket.end(frame(Buffer.alloc(0), 0x8)),
    };
    socket.on('data', (chunk) => onFrames(connection, chunk));
    socket.on('close', () => closed(connection));
    socket.on('error', () => {});
  });
  server.listen(Number(port), '127.0.0.1');
}

if (mode === 'socket') serveRawSocket();
else serveWithWs();
