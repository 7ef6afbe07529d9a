/**
 * The server side of RFC 6455 framing, just what MQTT over WebSocket needs (MQTT 5.0 section 6): binary frames
 * in, binary frames out, ping/pong and close. No extensions (no permessage-deflate), no text.
 *
 * MQTT does not care where frames begin or end (MQTT-6.0.0-2), so the reader turns a TCP chunk holding any number
 * of frames into one contiguous run of MQTT bytes: it unmasks each frame's payload over the headers before it,
 * in place. A client that writes a PUBLISH as five frames (MQTT.js on Node does) then costs one decoder push per
 * TCP read instead of five events and five partial-packet joins. This is what makes the broker's per-message cost
 * lower than `ws`'s (bench: fan-in QoS 1), and a connection is a socket plus this small object.
 */

/** What a frame reader reports. */
export interface FrameEvents {
  /** Unmasked MQTT bytes (binary and continuation frames), in order. The bytes are never touched again by the reader. */
  data(bytes: Uint8Array): void;
  /** A ping: answer with a pong carrying `payload`. */
  ping(payload: Uint8Array): void;
  /** The peer sent a close frame. Nothing more is read. */
  closed(code: number | undefined): void;
  /** A framing error: close with `code` (1002 protocol error, 1003 unsupported data, 1009 too big). Nothing more is read. */
  failed(code: number, reason: string): void;
}

export const CloseCode = { Normal: 1000, ProtocolError: 1002, UnsupportedData: 1003, TooBig: 1009 } as const;

export class FrameReader {
  /** Bytes of an incomplete frame, waiting for the rest. */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Bytes the incomplete frame needs in total (0 while its header is incomplete too). */
  private needed = 0;
  private done = false;

  constructor(private readonly maxPayload: number) {}

  /**
   * Reads every complete frame of `chunk` (which it may overwrite: pass a buffer nobody else reads) and keeps an
   * incomplete tail for the next chunk.
   */
  push(chunk: Uint8Array, events: FrameEvents): void {
    if (this.done) return;
    let buffer = chunk;
    if (this.heldBytes > 0) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      if (this.heldBytes < this.needed) return; // still incomplete: do not copy until it can be read
      buffer = Buffer.concat(this.held, this.heldBytes);
      this.held = [];
      this.heldBytes = 0;
      this.needed = 0;
    }
    const length = buffer.length;
    let read = 0;
    let write = 0; // data payloads are compacted to buffer[emitted, write)
    let emitted = 0;
    while (length - read >= 2) {
      const b0 = buffer[read]!;
      const b1 = buffer[read + 1]!;
      if ((b0 & 0x70) !== 0) return this.fail(events, CloseCode.ProtocolError, 'reserved bits set: no extension was negotiated');
      if ((b1 & 0x80) === 0) return this.fail(events, CloseCode.ProtocolError, 'a client frame must be masked');
      let payloadLength = b1 & 0x7f;
      let offset = read + 2;
      if (payloadLength === 126) {
        if (length - offset < 2) break;
        payloadLength = (buffer[offset]! << 8) | buffer[offset + 1]!;
        offset += 2;
      } else if (payloadLength === 127) {
        if (length - offset < 8) break;
        const high = ((buffer[offset]! << 24) | (buffer[offset + 1]! << 16) | (buffer[offset + 2]! << 8) | buffer[offset + 3]!) >>> 0;
        const low = ((buffer[offset + 4]! << 24) | (buffer[offset + 5]! << 16) | (buffer[offset + 6]! << 8) | buffer[offset + 7]!) >>> 0;
        payloadLength = high * 0x1_0000_0000 + low;
        offset += 8;
      }
      if (payloadLength > this.maxPayload) return this.fail(events, CloseCode.TooBig, `frame of ${payloadLength} bytes exceeds ${this.maxPayload}`);
      const end = offset + 4 + payloadLength;
      if (end > length) {
        this.needed = end - read;
        break;
      }
      const opcode = b0 & 0x0f;
      const mask0 = buffer[offset]!;
      const mask1 = buffer[offset + 1]!;
      const mask2 = buffer[offset + 2]!;
      const mask3 = buffer[offset + 3]!;
      offset += 4;
      if (opcode === 0x2 || opcode === 0x0) {
        // Unmask over what was already read: `write` never passes `offset`, so nothing unread is overwritten.
        let i = 0;
        for (; i + 4 <= payloadLength; i += 4) {
          buffer[write++] = buffer[offset + i]! ^ mask0;
          buffer[write++] = buffer[offset + i + 1]! ^ mask1;
          buffer[write++] = buffer[offset + i + 2]! ^ mask2;
          buffer[write++] = buffer[offset + i + 3]! ^ mask3;
        }
        for (; i < payloadLength; i++) buffer[write++] = buffer[offset + i]! ^ (i % 4 === 0 ? mask0 : i % 4 === 1 ? mask1 : i % 4 === 2 ? mask2 : mask3);
        read = end;
        continue;
      }
      if (opcode === 0x1) return this.fail(events, CloseCode.UnsupportedData, 'MQTT is carried in binary frames, not text (MQTT-6.0.0-1)');
      if (opcode < 0x8 || opcode > 0xa) return this.fail(events, CloseCode.ProtocolError, `unknown opcode ${opcode}`);
      if ((b0 & 0x80) === 0 || payloadLength > 125) return this.fail(events, CloseCode.ProtocolError, 'a control frame must be final and at most 125 bytes');
      // Control frame: deliver the data before it first, so the order of events is the order of frames.
      if (write > emitted) events.data(buffer.subarray(emitted, write));
      emitted = write;
      const payload = new Uint8Array(payloadLength);
      for (let i = 0; i < payloadLength; i++) payload[i] = buffer[offset + i]! ^ (i % 4 === 0 ? mask0 : i % 4 === 1 ? mask1 : i % 4 === 2 ? mask2 : mask3);
      read = end;
      if (opcode === 0x8) {
        this.done = true;
        events.closed(payloadLength >= 2 ? (payload[0]! << 8) | payload[1]! : undefined);
        return;
      }
      if (opcode === 0x9) events.ping(payload);
      if (this.done) return;
    }
    if (read < length) {
      // Copied: the rest of this chunk may hold views handed out above.
      this.held.push(new Uint8Array(buffer.subarray(read)));
      this.heldBytes = length - read;
    }
    if (write > emitted) events.data(buffer.subarray(emitted, write));
  }

  private fail(events: FrameEvents, code: number, reason: string): void {
    this.done = true;
    this.held = [];
    this.heldBytes = 0;
    events.failed(code, reason);
  }
}

/** A final binary frame (server frames are not masked). */
export function binaryFrameHeader(payloadLength: number): Uint8Array {
  if (payloadLength < 126) return Uint8Array.of(0x82, payloadLength);
  if (payloadLength < 0x10000) return Uint8Array.of(0x82, 126, payloadLength >> 8, payloadLength & 0xff);
  const header = new Uint8Array(10);
  header[0] = 0x82;
  header[1] = 127;
  const high = Math.floor(payloadLength / 0x1_0000_0000);
  const low = payloadLength >>> 0;
  header.set([high >>> 24, (high >>> 16) & 0xff, (high >>> 8) & 0xff, high & 0xff, low >>> 24, (low >>> 16) & 0xff, (low >>> 8) & 0xff, low & 0xff], 2);
  return header;
}

/** One buffer holding a whole binary frame: header and payload (a copy, cheaper than two writes for small frames). */
export function binaryFrame(payload: Uint8Array): Uint8Array {
  const header = binaryFrameHeader(payload.length);
  const frame = Buffer.allocUnsafe(header.length + payload.length);
  frame.set(header, 0);
  frame.set(payload, header.length);
  return frame;
}

/** A pong answering a ping, or a close frame with a status code. */
export function controlFrame(opcode: 0x8 | 0xa, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(2 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = payload.length;
  frame.set(payload, 2);
  return frame;
}

export function closeFrame(code: number): Uint8Array {
  return controlFrame(0x8, Uint8Array.of(code >> 8, code & 0xff));
}
