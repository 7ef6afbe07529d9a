import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocketConstructor, WebSocketLike } from '@mqttkit/core';
import { adoptingEarlySocket } from '../src/early-socket.ts';

/** Just enough of a browser WebSocket: a URL, a ready state and the `onopen` property the client sets. */
class FakeSocket {
  static readonly OPEN = 1;
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close(): void {
    this.closed = true;
    this.readyState = 3;
  }
}

function setup(early?: FakeSocket) {
  vi.stubGlobal('window', early ? { __mqttkitEarlySocket: early } : {});
  vi.stubGlobal('WebSocket', FakeSocket);
  const made: string[] = [];
  const Fallback = function (url: string) {
    made.push(url);
    return new FakeSocket(url);
  } as unknown as WebSocketConstructor;
  return { Socket: adoptingEarlySocket(Fallback), made };
}

afterEach(() => vi.unstubAllGlobals());

describe('the early WebSocket', () => {
  it('is adopted once for the same URL while still opening; reconnects get new sockets', () => {
    const early = new FakeSocket('ws://127.0.0.1:8080/mqtt');
    const { Socket, made } = setup(early);
    expect(new Socket('ws://127.0.0.1:8080/mqtt', 'mqtt')).toBe(early);
    expect(new Socket('ws://127.0.0.1:8080/mqtt', 'mqtt')).not.toBe(early);
    expect(made).toEqual(['ws://127.0.0.1:8080/mqtt']);
  });

  it('already open: the client hears `open` after it has set its handler', async () => {
    const early = new FakeSocket('ws://127.0.0.1:8080/mqtt');
    early.readyState = 1;
    const { Socket } = setup(early);
    const socket: WebSocketLike = new Socket('ws://127.0.0.1:8080/mqtt', 'mqtt');
    let opened = 0;
    socket.onopen = () => opened++;
    await Promise.resolve();
    expect(opened).toBe(1);
  });

  it('for another URL, or once closed, is closed and replaced', () => {
    const other = new FakeSocket('ws://127.0.0.1:8080/mqtt');
    const first = setup(other);
    expect(new first.Socket('ws://10.0.0.2:9001/mqtt', 'mqtt')).not.toBe(other);
    expect(other.closed).toBe(true);
    expect(first.made).toEqual(['ws://10.0.0.2:9001/mqtt']);

    const dead = new FakeSocket('ws://127.0.0.1:8080/mqtt');
    dead.readyState = 3;
    const second = setup(dead);
    expect(new second.Socket('ws://127.0.0.1:8080/mqtt', 'mqtt')).not.toBe(dead);
    expect(second.made).toEqual(['ws://127.0.0.1:8080/mqtt']);
  });
});
