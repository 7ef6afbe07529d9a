import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePorts, startMosquitto, type Mosquitto } from './mosquitto.ts';

// A hand-written 3.1.1 CONNECT (clean session, keepalive 60, empty client id) and mosquitto's success CONNACK:
// the helper is checked without relying on our codec.
const CONNECT_311 = Uint8Array.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00]);
const CONNACK_ACCEPTED = [0x20, 0x02, 0x00, 0x00];

const brokers: Mosquitto[] = [];
async function start(options?: Parameters<typeof startMosquitto>[0]): Promise<Mosquitto> {
  const broker = await startMosquitto(options);
  brokers.push(broker);
  return broker;
}
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.stop()));
});

/** Sends the CONNECT over TCP and resolves with the first 4 bytes mosquitto answers. */
function tcpConnack(port: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(CONNECT_311));
    let received: number[] = [];
    socket.on('data', (chunk) => {
      received = [...received, ...chunk];
      if (received.length >= 4) {
        socket.destroy();
        resolve(received.slice(0, 4));
      }
    });
    socket.once('error', reject);
  });
}

function wsConnack(url: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'mqtt');
    socket.once('open', () => {
      expect(socket.protocol).toBe('mqtt');
      socket.send(CONNECT_311);
    });
    socket.once('message', (data: Buffer) => {
      socket.close();
      resolve([...data]);
    });
    socket.once('error', reject);
  });
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('startMosquitto', () => {
  it('serves MQTT on the TCP port and MQTT over WebSocket (subprotocol mqtt) on the WebSocket port', async () => {
    const broker = await start();
    expect(broker.host).toBe('127.0.0.1');
    expect(broker.wsUrl).toBe(`ws://127.0.0.1:${broker.wsPort}`);
    expect(broker.tcpPort).not.toBe(broker.wsPort);
    expect(await tcpConnack(broker.tcpPort)).toEqual(CONNACK_ACCEPTED);
    expect(await wsConnack(broker.wsUrl)).toEqual(CONNACK_ACCEPTED);
    expect(broker.logs()).toMatch(/Opening websockets listen socket on port \d+/);
  });

  it('stop() ends mosquitto, frees both ports and deletes its temporary directory', async () => {
    const before = new Set(readdirSync(os.tmpdir()).filter((name) => name.startsWith('mqttkit-mosquitto-')));
    const broker = await startMosquitto();
    const dir = readdirSync(os.tmpdir()).find((name) => name.startsWith('mqttkit-mosquitto-') && !before.has(name));
    expect(dir).toBeDefined();
    await broker.stop();
    expect(existsSync(path.join(os.tmpdir(), dir as string))).toBe(false);
    expect(await refusesConnections(broker.tcpPort)).toBe(true);
    expect(await refusesConnections(broker.wsPort)).toBe(true);
    expect(broker.logs()).toMatch(/terminating/);
    await expect(broker.restart()).rejects.toThrow(/stopped for good/);
  });

  it('kill() crashes mosquitto and restart() brings it back on the same ports', async () => {
    const broker = await start();
    const { tcpPort, wsPort } = broker;
    await broker.kill();
    expect(await refusesConnections(tcpPort)).toBe(true);
    await broker.restart();
    expect(await tcpConnack(tcpPort)).toEqual(CONNACK_ACCEPTED);
    expect(await wsConnack(`ws://127.0.0.1:${wsPort}`)).toEqual(CONNACK_ACCEPTED);
    // restart() while running stops gracefully first.
    await broker.restart();
    expect(await tcpConnack(tcpPort)).toEqual(CONNACK_ACCEPTED);
  });

  it('keeps retained messages across a restart when persistence is on', async () => {
    const broker = await start({ persistence: true });
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.tcpPort}`, { reconnectPeriod: 0 });
    await publisher.publishAsync('state/lamp', 'on', { qos: 1, retain: true });
    await publisher.endAsync();
    await broker.restart();
    const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.tcpPort}`, { reconnectPeriod: 0 });
    const retained = new Promise<string>((resolve) => subscriber.once('message', (_topic, payload) => resolve(payload.toString())));
    await subscriber.subscribeAsync('state/#');
    expect(await retained).toBe('on');
    await subscriber.endAsync();
    expect(broker.logs()).toMatch(/Saving in-memory database/);
  });

  it('checks passwords and the ACL when given', async () => {
    const broker = await start({
      passwords: { alice: 'secret' },
      acl: 'user alice\ntopic readwrite alice/#\n',
    });
    const url = `mqtt://127.0.0.1:${broker.tcpPort}`;
    await expect(mqtt.connectAsync(url, { reconnectPeriod: 0, username: 'alice', password: 'wrong' })).rejects.toThrow(/Not authorized/);
    await expect(mqtt.connectAsync(url, { reconnectPeriod: 0 })).rejects.toThrow(/Not authorized/);
    const alice = await mqtt.connectAsync(url, { reconnectPeriod: 0, username: 'alice', password: 'secret' });
    const received: string[] = [];
    const aliceInbox = new Promise<void>((resolve) =>
      alice.on('message', (topic) => {
        received.push(topic);
        if (topic === 'alice/inbox') resolve();
      }),
    );
    // mosquitto 2.0 grants the SUBSCRIBE and applies the ACL when publishing and delivering instead.
    await alice.subscribeAsync(['alice/inbox', 'bob/inbox']);
    await alice.publishAsync('bob/inbox', 'denied', { qos: 1 });
    await alice.publishAsync('alice/inbox', 'allowed', { qos: 1 });
    await aliceInbox;
    // Messages arrive in order, so a permitted bob/inbox would have come first.
    expect(received).toEqual(['alice/inbox']);
    await alice.endAsync();
  });

  it('fails with mosquitto’s own log when the configuration is wrong', async () => {
    await expect(startMosquitto({ extraConfig: ['no_such_option 1'] })).rejects.toThrow(/mosquitto exited[\s\S]*--- mosquitto log ---[\s\S]*no_such_option/);
  });

  it('restart() explains when its port was taken meanwhile, and recovers once it is free', async () => {
    const broker = await start();
    await broker.kill();
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(broker.tcpPort, '127.0.0.1', resolve));
    await expect(broker.restart()).rejects.toThrow(/Address already in use/);
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    await broker.restart();
    expect(await tcpConnack(broker.tcpPort)).toEqual(CONNACK_ACCEPTED);
  });

  it('freePorts hands out distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await freePorts(3);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
