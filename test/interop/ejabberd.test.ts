/**
 * ejabberd 23.01 (mod_mqtt), one node: the client matrix at 3.1.1 and 5.0, our codec at levels 4 and 5 over TCP
 * and WebSocket, and the harness's stop/kill/restart (last). One node for the whole file: a start costs 2.5–8 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepts } from '../support/erlang-node.ts';
import { startEjabberd, type EjabberdCluster, type EjabberdNode } from '../support/ejabberd.ts';
import { describeClientMatrix, specQuirks } from './suite/index.ts';
import { connectOverTcp, connectOverWs, connectPacket, utf8, type Exchange } from './support/raw-connect.ts';

let cluster: EjabberdCluster;
let node: EjabberdNode;

beforeAll(async () => {
  cluster = await startEjabberd({ users: { alice: 'secret' } });
  node = cluster.nodes[0]!;
}, 120_000);
afterAll(async () => {
  await cluster?.close();
}, 60_000);

const transports = {
  tcp: (connect: Parameters<typeof connectOverTcp>[1]): Promise<Exchange> => connectOverTcp(node.tcpPort, connect),
  ws: (connect: Parameters<typeof connectOverWs>[1]): Promise<Exchange> => connectOverWs(node.wsUrl, connect),
};
const cases = (['tcp', 'ws'] as const).flatMap((transport) => ([4, 5] as const).map((version) => [transport, version] as const));

for (const version of [4, 5] as const) {
  describeClientMatrix({
    name: 'ejabberd 23.01',
    version,
    url: () => node.wsUrl,
    // Quirk: ejabberd needs a username and a non-empty password on every CONNECT.
    credentials: { username: 'alice', password: 'secret' },
    wrongCredentials: { username: 'alice', password: 'wrong' },
    // Quirk: no shared subscriptions.
    quirks: { ...specQuirks, sharedSubscriptions: false },
  });
}

describe('our codec against ejabberd (mod_mqtt)', () => {
  it.each(cases)('[MQTT-3.2.0-1] %s, level %i: a registered user gets CONNACK 0', async (transport, version) => {
    const exchange = await transports[transport](connectPacket(version, `codec-${transport}-${version}`, { username: 'alice', password: utf8('secret') }));
    expect(exchange.packets[0]).toMatchObject({ type: 'connack', sessionPresent: false, reasonCode: 0 });
    if (transport === 'ws') expect(exchange.protocol).toBe('mqtt');
  });

  // Quirk: ejabberd refuses a CONNECT without a username and a non-empty password, even in anonymous mode.
  it.each([
    [4, 0x05],
    [5, 0x87],
  ] as const)('[MQTT-3.2.2-5] level %i: no credentials are refused as not authorized (%i) and the connection closed', async (version, code) => {
    const exchange = await transports.tcp(connectPacket(version, `codec-anon-${version}`));
    expect(exchange.packets[0]).toMatchObject({ type: 'connack', reasonCode: code });
  });

  it.each(cases)('[MQTT-3.2.2-5] %s, level %i: a wrong password is refused as not authorized', async (transport, version) => {
    const exchange = await transports[transport](connectPacket(version, `codec-bad-${transport}-${version}`, { username: 'alice', password: utf8('wrong') }));
    expect(exchange.packets[0]).toMatchObject({ type: 'connack', reasonCode: version === 5 ? 0x87 : 0x05 });
  });

  // Quirk: no shared subscriptions, which ejabberd says in its 5.0 CONNACK.
  it('level 5: the CONNACK says shared subscriptions are not available', async () => {
    const exchange = await transports.tcp(connectPacket(5, 'codec-caps', { username: 'alice', password: utf8('secret') }));
    const connack = exchange.packets[0];
    expect(connack?.type).toBe('connack');
    expect(connack?.type === 'connack' ? connack.properties?.sharedSubscriptionAvailable : undefined).toBe(0);
  });
});

describe('ejabberd harness', () => {
  it('reports its start-up time and a WebSocket URL at /mqtt', () => {
    expect(node.startMs).toBeGreaterThan(0);
    expect(node.wsUrl).toBe(`ws://127.0.0.1:${node.wsPort}/mqtt`);
  });

  it('stop() closes both listeners; restart() brings the node back with its registered users', async () => {
    await node.stop();
    expect(node.running()).toBe(false);
    expect(await accepts(node.tcpPort)).toBe(false);
    expect(await accepts(node.wsPort)).toBe(false);
    await node.restart();
    const exchange = await transports.ws(connectPacket(4, 'codec-after-restart', { username: 'alice', password: utf8('secret') }));
    expect(exchange.packets[0]).toMatchObject({ type: 'connack', reasonCode: 0 });
  }, 120_000);

  it('kill() ends the node at once (a crash); restart() recovers it', async () => {
    await node.kill();
    expect(node.running()).toBe(false);
    expect(await accepts(node.tcpPort)).toBe(false);
    await node.restart();
    const exchange = await transports.tcp(connectPacket(5, 'codec-after-kill', { username: 'alice', password: utf8('secret') }));
    expect(exchange.packets[0]).toMatchObject({ type: 'connack', reasonCode: 0 });
  }, 120_000);
});
