import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode, PacketDecoder } from '@mqttkit/core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBroker } from '../src/create-broker.ts';
import { optionsFromArgs } from '../src/cli.ts';
import { createLogger } from '../src/log.ts';
import { startBroker } from './support/brokers.ts';

/** Opens a WebSocket on `path`, sends CONNECT and resolves with the CONNACK's reason code, or the HTTP status that refused the upgrade. */
function tryMqtt(port: number, urlPath: string): Promise<{ connack: number } | { status: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${urlPath}`, 'mqtt');
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      response.resume();
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
    socket.once('open', () => socket.send(encode({ type: 'connect', protocolVersion: 4, clientId: 'wsp', clean: true, keepalive: 0 }, 4)));
    socket.once('message', (data: Buffer) => {
      const [packet] = new PacketDecoder({ version: 4 }).push(new Uint8Array(data));
      socket.close();
      resolve({ connack: packet?.type === 'connack' ? packet.reasonCode : -1 });
    });
  });
}

function plainGet(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: urlPath }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).once('error', reject);
  });
}

describe('WebSocket paths', () => {
  it('serves /mqtt by default; an upgrade on another path gets HTTP 404 and a warn line naming the served paths', async () => {
    const lines: string[] = [];
    const broker = await startBroker({ logger: createLogger('warn', (line) => lines.push(line)) });
    expect(await tryMqtt(broker.ports.ws!, '/mqtt')).toEqual({ connack: 0 });
    expect(await tryMqtt(broker.ports.ws!, '/')).toEqual({ status: 404 });
    expect(await tryMqtt(broker.ports.ws!, '/mqtt/v2')).toEqual({ status: 404 });
    expect(lines.filter((line) => line.includes('websocket upgrade refused'))).toHaveLength(2);
    expect(lines.find((line) => line.includes('path=/mqtt/v2'))).toMatch(/warn .*served=\/mqtt/);
  });

  it('serves every configured path (query strings ignored) and refuses the default one when not listed', async () => {
    const broker = await startBroker({ wsPath: ['/ws', '/mqtt-over-ws'] });
    expect(await tryMqtt(broker.ports.ws!, '/ws')).toEqual({ connack: 0 });
    expect(await tryMqtt(broker.ports.ws!, '/mqtt-over-ws?token=abc')).toEqual({ connack: 0 });
    expect(await tryMqtt(broker.ports.ws!, '/mqtt')).toEqual({ status: 404 });
  });

  it('a plain HTTP request gets 426 on a served path and 404 elsewhere', async () => {
    const broker = await startBroker({ wsPath: '/live' });
    expect(await plainGet(broker.ports.ws!, '/live')).toBe(426);
    expect(await plainGet(broker.ports.ws!, '/favicon.ico')).toBe(404);
  });

  it('an upgrade ws cannot accept on a served path gets 400 (405 for a non-GET) and an info line saying why', async () => {
    const lines: string[] = [];
    const broker = await startBroker({ logger: createLogger('info', (line) => lines.push(line)) });
    const upgrade = (method: string, headers: Record<string, string>): Promise<number> =>
      new Promise((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port: broker.ports.ws!, path: '/mqtt', method, headers: { connection: 'Upgrade', upgrade: 'websocket', ...headers } });
        request.once('response', (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.once('upgrade', () => reject(new Error('upgraded')));
        request.once('error', reject);
        request.end();
      });
    expect(await upgrade('GET', { 'sec-websocket-version': '13' })).toBe(400); // no Sec-WebSocket-Key
    expect(await upgrade('POST', { 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' })).toBe(405);
    const refusals = lines.filter((line) => line.includes('websocket upgrade refused (HTTP 4'));
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatch(/Sec-WebSocket-Key/);
  });

  it('a path without a leading slash is refused at start with a clear error', async () => {
    await expect(createBroker({ port: false, wsPort: 0, wsPath: 'mqtt', logger: createLogger('silent'), sysInterval: 0 })).rejects.toThrow(/wsPath: "mqtt" must start with "\/"/);
  });

  it('--ws-path (repeatable) and the config key wsPath (a path or a list) set the paths; the flag wins', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mqttkit-wspath-'));
    try {
      expect(optionsFromArgs(['--ws-path', '/a', '--ws-path', '/b', '--log-level', 'silent']).wsPath).toEqual(['/a', '/b']);
      const config = path.join(dir, 'broker.json');
      writeFileSync(config, JSON.stringify({ wsPath: ['/x', '/y'] }));
      expect(optionsFromArgs(['--config', config, '--log-level', 'silent']).wsPath).toEqual(['/x', '/y']);
      expect(optionsFromArgs(['--config', config, '--ws-path', '/z', '--log-level', 'silent']).wsPath).toEqual(['/z']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
