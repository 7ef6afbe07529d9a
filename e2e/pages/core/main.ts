/**
 * Runs @mqttkit/core in the browser: every packet type through encode and the streaming decoder at both protocol
 * levels, then a CONNECT to mosquitto over a browser WebSocket. Results land on `window.coreResults`.
 */
import { encode, PacketDecoder, type Packet, type ProtocolVersion } from '@mqttkit/core';
import { samplePackets, toHex, toPlain } from './samples.ts';

export interface RoundTrip {
  version: ProtocolVersion;
  type: Packet['type'];
  hex: string;
  decoded: unknown;
  /** Decoded again from the same bytes pushed one byte at a time. */
  decodedByteByByte: unknown;
  reencodedHex: string;
}

export interface ConnackResult {
  version: ProtocolVersion;
  subprotocol: string;
  packet: unknown;
}

export interface CoreResults {
  nodeGlobals: { buffer: boolean; process: boolean };
  roundTrips: RoundTrip[];
  connacks: ConnackResult[];
  error?: string;
}

declare global {
  interface Window {
    coreResults?: CoreResults;
  }
}

function roundTrip(packet: Packet, version: ProtocolVersion): RoundTrip {
  const bytes = encode(packet, version);
  const decoded = new PacketDecoder({ version }).push(bytes);
  const byteByByte: Packet[] = [];
  const splitDecoder = new PacketDecoder({ version });
  for (let i = 0; i < bytes.length; i++) byteByByte.push(...splitDecoder.push(bytes.slice(i, i + 1)));
  const [first] = decoded;
  if (decoded.length !== 1 || first === undefined) throw new Error(`${packet.type} v${version}: decoded ${decoded.length} packets`);
  return {
    version,
    type: packet.type,
    hex: toHex(bytes),
    decoded: toPlain(first),
    decodedByteByByte: toPlain(byteByByte),
    reencodedHex: toHex(encode(first, version)),
  };
}

/** Opens a WebSocket with subprotocol `mqtt`, sends CONNECT and resolves with the decoded first packet back. */
function connack(url: string, version: ProtocolVersion): Promise<ConnackResult> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'mqtt');
    socket.binaryType = 'arraybuffer';
    const decoder = new PacketDecoder({ version });
    socket.onopen = () => {
      socket.send(encode({ type: 'connect', protocolVersion: version, clientId: `mqttkit-e2e-v${version}`, clean: true, keepalive: 30 }, version));
    };
    socket.onmessage = (event: MessageEvent<ArrayBuffer>) => {
      const [packet] = decoder.push(new Uint8Array(event.data));
      if (packet === undefined) return;
      resolve({ version, subprotocol: socket.protocol, packet: toPlain(packet) });
      socket.close();
    };
    socket.onerror = () => reject(new Error(`WebSocket to ${url} failed`));
    socket.onclose = (event) => reject(new Error(`WebSocket closed before a CONNACK (code ${event.code})`));
  });
}

async function run(): Promise<CoreResults> {
  const results: CoreResults = {
    nodeGlobals: { buffer: 'Buffer' in globalThis, process: 'process' in globalThis },
    roundTrips: [],
    connacks: [],
  };
  try {
    for (const version of [4, 5] as const) {
      for (const packet of samplePackets(version)) results.roundTrips.push(roundTrip(packet, version));
    }
    const wsUrl = new URLSearchParams(location.search).get('ws');
    if (wsUrl !== null) {
      for (const version of [4, 5] as const) results.connacks.push(await connack(wsUrl, version));
    }
  } catch (error) {
    results.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  return results;
}

void run().then((results) => {
  window.coreResults = results;
  const status = document.getElementById('status');
  if (status !== null) status.textContent = results.error === undefined ? 'done' : 'failed';
});
