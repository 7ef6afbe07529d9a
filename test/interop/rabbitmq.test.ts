/**
 * RabbitMQ 3.10.8 (rabbitmq_mqtt + rabbitmq_web_mqtt), one node for the whole file (a start costs 10–20 s):
 * the client matrix at 3.1.1 (RabbitMQ 3.10 has no 5.0), our codec at level 4 over TCP and WebSocket, and the
 * broker's documented refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitMq, type RabbitMqCluster, type RabbitMqNode } from '../support/rabbitmq.ts';
import { describeClientMatrix, specQuirks } from './suite/index.ts';
import { connectOverTcp, connectOverWs, connectPacket, utf8 } from './support/raw-connect.ts';

let cluster: RabbitMqCluster;
let node: RabbitMqNode;

beforeAll(async () => {
  cluster = await startRabbitMq();
  node = cluster.nodes[0]!;
}, 150_000);
afterAll(async () => {
  await cluster?.close();
}, 60_000);

describeClientMatrix({
  name: 'RabbitMQ 3.10.8',
  version: 4,
  url: () => node.wsUrl,
  credentials: { username: 'guest', password: 'guest' },
  wrongCredentials: { username: 'guest', password: 'wrong' },
  quirks: {
    ...specQuirks,
    maximumQoS: 1,
    willAfterCleanDisconnect: true,
    dotBecomesSlash: true,
    refusesWithoutConnack: true,
  },
});

describe('our codec against RabbitMQ (rabbitmq_mqtt, rabbitmq_web_mqtt)', () => {
  it.each([
    ['no credentials (mapped to guest)', {}],
    ['guest/guest', { username: 'guest', password: utf8('guest') }],
  ])('[MQTT-3.2.0-1] tcp and ws, level 4, %s: CONNACK 0', async (_label, credentials) => {
    const tcp = await connectOverTcp(node.tcpPort, connectPacket(4, 'codec-tcp', credentials));
    expect(tcp.packets[0]).toMatchObject({ type: 'connack', sessionPresent: false, reasonCode: 0 });
    const ws = await connectOverWs(node.wsUrl, connectPacket(4, 'codec-ws', credentials));
    expect(ws.packets[0]).toMatchObject({ type: 'connack', sessionPresent: false, reasonCode: 0 });
    expect(ws.protocol).toBe('mqtt');
  });

  // Quirk: 3.10 has no MQTT 5; the CONNECT is unparseable to it and the socket is closed without a CONNACK.
  it.each(['tcp', 'ws'] as const)('%s, level 5: closed without a CONNACK (RabbitMQ 3.10 has no MQTT 5)', async (transport) => {
    const connect = connectPacket(5, `codec-v5-${transport}`);
    const exchange = transport === 'tcp' ? await connectOverTcp(node.tcpPort, connect) : await connectOverWs(node.wsUrl, connect);
    expect(exchange.packets).toEqual([]);
    expect(exchange.closedByServer).toBe(true);
  });

  it('[MQTT-3.2.2-5] tcp, level 4: bad credentials get CONNACK 4 (bad user name or password)', async () => {
    const exchange = await connectOverTcp(node.tcpPort, connectPacket(4, 'codec-bad-tcp', { username: 'alice', password: utf8('wrong') }));
    expect(exchange.packets[0]).toMatchObject({ type: 'connack', reasonCode: 0x04 });
  });

  // Quirk: Web-MQTT closes the WebSocket (code 1002) without a CONNACK on bad credentials.
  it('ws, level 4: bad credentials close the WebSocket without a CONNACK', async () => {
    const exchange = await connectOverWs(node.wsUrl, connectPacket(4, 'codec-bad-ws', { username: 'alice', password: utf8('wrong') }));
    expect(exchange.packets).toEqual([]);
    expect(exchange.closedByServer).toBe(true);
    expect(exchange.closeCode).toBe(1002);
  });
});

describe('RabbitMQ harness', () => {
  it('listens on loopback with a WebSocket URL at /ws and reports its start-up time', async () => {
    expect(node.wsUrl).toBe(`ws://127.0.0.1:${node.wsPort}/ws`);
    expect(node.startMs).toBeGreaterThan(0);
    expect(await node.ctl('status')).toContain('rabbitmq_web_mqtt');
  });
});
