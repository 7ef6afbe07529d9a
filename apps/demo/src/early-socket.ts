/**
 * The dashboard's first WebSocket, opened by an inline script in index.html while the bundle still downloads and
 * parses, and handed to the MQTT client when it connects: the handshake overlaps loading instead of following it
 * (on a loaded machine it took 25-140 ms after the bundle had run).
 */
import type { WebSocketConstructor, WebSocketLike } from '@mqttkit/core';

/** Where index.html's script leaves the socket. */
const SLOT = '__mqttkitEarlySocket';
type Slot = { [SLOT]?: WebSocket };

/**
 * A WebSocket constructor for `MqttClient` that returns the early socket once, for the same URL and subprotocol,
 * if it is still opening or open; otherwise (and for every reconnect) a new socket.
 */
export function adoptingEarlySocket(Socket: WebSocketConstructor = WebSocket as unknown as WebSocketConstructor): WebSocketConstructor {
  return function (url: string, protocols: string | string[]): WebSocketLike {
    const early = (window as Slot)[SLOT];
    delete (window as Slot)[SLOT];
    if (early && early.url === new URL(url).href && early.readyState <= WebSocket.OPEN) {
      // Already open: the client sets `onopen` right after construction, so tell it on the next microtask.
      if (early.readyState === WebSocket.OPEN) queueMicrotask(() => early.onopen?.(new Event('open')));
      return early as WebSocketLike;
    }
    early?.close();
    return new Socket(url, protocols);
  } as unknown as WebSocketConstructor;
}
