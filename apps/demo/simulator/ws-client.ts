/** Device clients on Node: our MqttClient over the `ws` package, with a way to cut the socket abruptly. */
import { MqttClient, type WebSocketConstructor } from '@mqttkit/core';
import WebSocket from 'ws';
import type { ClientFactory } from './device.ts';

export const wsClientFactory: ClientFactory = (options) => {
  let socket: WebSocket | undefined;
  // Remember the socket the client opens, so `cut()` can terminate it without a DISCONNECT or a close frame.
  class TrackedWebSocket extends WebSocket {
    constructor(url: string, protocols: string | string[]) {
      super(url, protocols);
      socket = this;
    }
  }
  const client = new MqttClient({ ...options, WebSocket: TrackedWebSocket as unknown as WebSocketConstructor });
  return { client, cut: () => socket?.terminate() };
};
