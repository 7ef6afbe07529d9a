import { SERVER_SENT_READERS } from '../codec/server-sent-readers.ts';
import { StreamDecoder } from '../codec/stream-decoder.ts';
import { InvalidArgumentError, MqttError } from '../errors.ts';
import { ConnectionLostError } from './errors.ts';
import type { Transport, TransportEvents, TransportOptions } from './transport.ts';
import type { WebSocketLike } from './types.ts';
import { encodeClientPacket } from './wire-codec.ts';

/**
 * MQTT over WebSocket: subprotocol exactly `mqtt`, binary frames as ArrayBuffers, a streaming decoder (a packet
 * may span frames, a frame may hold several packets), and every packet written in the same tick coalesced into
 * one frame by a microtask flush: one `send` per turn instead of one per packet.
 */
export function openWebSocket(options: TransportOptions, events: TransportEvents): Transport {
  const Socket = options.WebSocket ?? (globalThis as { WebSocket?: TransportOptions['WebSocket'] }).WebSocket;
  if (Socket === undefined) {
    throw new InvalidArgumentError(
      'WebSocket',
      'there is no global WebSocket here (Node 20): pass one, e.g. `import WebSocket from "ws"` and `WebSocket` in the options',
    );
  }
  const decoder = new StreamDecoder({ version: options.protocolVersion, readers: SERVER_SENT_READERS, ...maxSize(options.maximumPacketSize) });
  let queued: Uint8Array[] = [];
  let queuedBytes = 0;
  let flushing = false;
  let ended = false;
  const socket: WebSocketLike = new Socket(options.url, 'mqtt');
  socket.binaryType = 'arraybuffer';

  const end = (error: MqttError | undefined): void => {
    if (ended) return;
    ended = true;
    socket.onopen = socket.onmessage = socket.onclose = null;
    // Keep swallowing errors: `ws` reports a close during the handshake as an error on the next tick, and
    // an error event with no listener would be an uncaught exception in Node.
    socket.onerror = () => {};
    events.closed(error);
  };

  const flush = (): void => {
    flushing = false;
    if (queued.length === 0 || ended || socket.readyState !== 1) return;
    let frame: Uint8Array;
    if (queued.length === 1) frame = queued[0] as Uint8Array;
    else {
      frame = new Uint8Array(queuedBytes);
      let offset = 0;
      for (const bytes of queued) {
        frame.set(bytes, offset);
        offset += bytes.byteLength;
      }
    }
    queued = [];
    queuedBytes = 0;
    socket.send(frame);
    events.wrote();
  };

  socket.onopen = () => events.opened();
  const fail = (error: unknown): void => {
    socket.close(1002);
    end(error instanceof MqttError ? error : new ConnectionLostError(String(error)));
  };
  socket.onmessage = (event) => {
    let bytes;
    try {
      bytes = toBytes(event.data);
    } catch (error) {
      fail(error);
      return;
    }
    // The packets before a malformed one in the frame are delivered first, then the error closes.
    const { packets, error } = decoder.tryPush(bytes);
    for (const packet of packets) {
      if (ended) return;
      events.packet(packet);
    }
    if (error !== undefined && !ended) fail(error);
  };
  socket.onerror = () => {};
  socket.onclose = (event) => {
    end(new ConnectionLostError(`The WebSocket to ${options.url} closed (code ${event.code}${event.reason ? `, ${event.reason}` : ''})`));
  };

  const transport: Transport = {
    maximumPacketSize: undefined,
    send(packet) {
      if (ended) return;
      const bytes = encodeClientPacket(options.encoders, packet, options.protocolVersion);
      const limit = transport.maximumPacketSize;
      if (limit !== undefined && bytes.byteLength > limit) {
        throw new MqttError(
          'PACKET_TOO_LARGE',
          `A ${packet.type} of ${bytes.byteLength} bytes exceeds the server's maximum packet size of ${limit}; send less`,
          0x95,
        );
      }
      queued.push(bytes);
      queuedBytes += bytes.byteLength;
      if (!flushing) {
        flushing = true;
        queueMicrotask(flush);
      }
    },
    close() {
      flush();
      socket.close(1000);
      end(undefined);
    },
  };
  return transport;
}

function maxSize(maximumPacketSize: number | undefined): { maximumPacketSize?: number } {
  return maximumPacketSize === undefined ? {} : { maximumPacketSize };
}

/** A frame's data as bytes: ArrayBuffer in browsers and with `ws` (binaryType arraybuffer), views elsewhere. */
function toBytes(data: unknown): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (typeof data === 'string') throw new ConnectionLostError('The server sent a text frame; MQTT over WebSocket is binary only');
  return new Uint8Array(data as ArrayBuffer);
}
