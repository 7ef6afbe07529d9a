import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode, PacketDecoder, type ConnectPacket, type Packet, type ProtocolVersion } from '../../packages/core/src/codec/index.ts';
import { startMosquitto, type Mosquitto } from '../support/mosquitto.ts';

/** What came back for one CONNECT: the packets mosquitto sent, and whether it then closed the connection. */
interface Exchange {
  packets: Packet[];
  closedByServer: boolean;
}

/**
 * Sends `connect` encoded by our codec over a raw TCP socket and decodes the answer with our PacketDecoder.
 * Resolves once a packet arrived and mosquitto either closed the socket or we read it and closed it ourselves.
 */
function connectOverTcp(port: number, connect: ConnectPacket, keepOpen: boolean): Promise<Exchange> {
  const version: ProtocolVersion = connect.protocolVersion;
  return new Promise((resolve, reject) => {
    const decoder = new PacketDecoder({ version });
    const packets: Packet[] = [];
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(encode(connect, version)));
    socket.on('data', (chunk: Buffer) => {
      packets.push(...decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
      if (packets.length > 0 && keepOpen) {
        socket.destroy();
        resolve({ packets, closedByServer: false });
      }
    });
    socket.once('end', () => resolve({ packets, closedByServer: true }));
    socket.once('error', reject);
  });
}

const connect = (protocolVersion: ProtocolVersion, extra: Partial<ConnectPacket> = {}): ConnectPacket => ({
  type: 'connect',
  protocolVersion,
  clientId: `mqttkit-it-v${protocolVersion}`,
  clean: true,
  keepalive: 30,
  ...extra,
});

describe('our codec against Debian mosquitto over TCP', () => {
  let open: Mosquitto;
  let guarded: Mosquitto;

  beforeAll(async () => {
    [open, guarded] = await Promise.all([startMosquitto(), startMosquitto({ passwords: { alice: 'secret' } })]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), guarded?.stop()]);
  });

  it.each([4, 5] as const)('[MQTT-3.2.0-1] level %i: mosquitto answers our CONNECT with a CONNACK, reason code 0', async (version) => {
    const { packets } = await connectOverTcp(open.tcpPort, connect(version), true);
    expect(packets).toHaveLength(1);
    expect(packets[0]).toMatchObject({ type: 'connack', sessionPresent: false, reasonCode: 0 });
  });

  it('[MQTT-3.2.2-16] level 5: an empty client id gets an Assigned Client Identifier in the CONNACK', async () => {
    const { packets } = await connectOverTcp(open.tcpPort, connect(5, { clientId: '' }), true);
    const [connack] = packets;
    expect(connack).toMatchObject({ type: 'connack', reasonCode: 0 });
    const assigned = connack?.type === 'connack' ? connack.properties?.assignedClientIdentifier : undefined;
    expect(assigned).toMatch(/^auto-/); // mosquitto's format: auto-<uuid>
  });

  it.each([4, 5] as const)('level %i: a password file admits the right password', async (version) => {
    const password = new TextEncoder().encode('secret');
    const { packets } = await connectOverTcp(guarded.tcpPort, connect(version, { username: 'alice', password }), true);
    expect(packets[0]).toMatchObject({ type: 'connack', reasonCode: 0 });
  });

  // mosquitto 2.0.11 answers a wrong password with "not authorized" (3.1.1 return code 5, 5.0 reason 0x87), not with
  // "bad user name or password" (4 / 0x86), then closes the connection.
  it.each([
    [4, 'return code 5', 0x05],
    [5, 'reason code 0x87', 0x87],
  ] as const)('[MQTT-3.2.2-5] level %i: a wrong password is refused with %s and the connection closed', async (version, _label, code) => {
    const password = new TextEncoder().encode('wrong');
    const { packets, closedByServer } = await connectOverTcp(guarded.tcpPort, connect(version, { username: 'alice', password }), false);
    expect(packets).toHaveLength(1);
    expect(packets[0]).toMatchObject({ type: 'connack', sessionPresent: false, reasonCode: code });
    expect(closedByServer).toBe(true);
  });
});
