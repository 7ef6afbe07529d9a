/**
 * One CONNECT encoded by our codec, sent over a raw TCP socket or a `ws` WebSocket, the answer decoded by our
 * PacketDecoder: proves a broker harness (and our codec against that broker) without the client.
 */
import net from 'node:net';
import WebSocket from 'ws';
import { encode, PacketDecoder, type ConnectPacket, type Packet, type ProtocolVersion } from '../../../packages/core/src/codec/index.ts';

/** What came back for one CONNECT: the packets the broker sent, and whether it closed the connection. */
export interface Exchange {
  packets: Packet[];
  closedByServer: boolean;
  /** WebSocket only: the subprotocol the server selected, and the close code when it closed. */
  protocol?: string;
  closeCode?: number;
}

/** How long a broker gets to answer or close; far above the milliseconds it takes. */
const ANSWER_TIMEOUT_MS = 15_000;

export const connectPacket = (protocolVersion: ProtocolVersion, clientId: string, extra: Partial<ConnectPacket> = {}): ConnectPacket => ({
  type: 'connect',
  protocolVersion,
  clientId,
  clean: true,
  keepalive: 30,
  ...extra,
});

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Resolves after the first packet (then closes our side), or when the broker closes first. */
export function connectOverTcp(port: number, connect: ConnectPacket): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const decoder = new PacketDecoder({ version: connect.protocolVersion });
    const packets: Packet[] = [];
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(encode(connect, connect.protocolVersion)));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer on port ${port} within ${ANSWER_TIMEOUT_MS} ms`));
    }, ANSWER_TIMEOUT_MS);
    const finish = (closedByServer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ packets, closedByServer });
    };
    socket.on('data', (chunk: Buffer) => {
      packets.push(...decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
      if (packets.length > 0) finish(false);
    });
    socket.once('close', () => finish(true));
    socket.once('error', (error) => {
      // A reset after the broker refused is still "closed by the server".
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') finish(true);
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
  });
}

/** Same over MQTT-over-WebSocket, offering exactly one subprotocol, `mqtt` (a list breaks both Erlang brokers in browsers). */
export function connectOverWs(url: string, connect: ConnectPacket): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const decoder = new PacketDecoder({ version: connect.protocolVersion });
    const packets: Packet[] = [];
    const socket = new WebSocket(url, 'mqtt');
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no answer from ${url} within ${ANSWER_TIMEOUT_MS} ms`));
    }, ANSWER_TIMEOUT_MS);
    let settled = false;
    const finish = (closedByServer: boolean, closeCode?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const protocol = socket.protocol;
      socket.terminate();
      resolve({ packets, closedByServer, protocol, ...(closeCode === undefined ? {} : { closeCode }) });
    };
    socket.once('open', () => socket.send(encode(connect, connect.protocolVersion)));
    socket.on('message', (data: Buffer) => {
      packets.push(...decoder.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
      if (packets.length > 0) finish(false);
    });
    socket.once('close', (code) => finish(true, code));
    socket.once('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
  });
}
