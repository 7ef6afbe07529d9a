/** Helpers for client tests: waiting on conditions (never sleeping), decoding payloads. */
import WebSocket from 'ws';
import type { Message } from '../../src/client/types.ts';

const decoder = new TextDecoder();

export function text(message: Message): string {
  return decoder.decode(message.payload);
}

/** Resolves once `condition()` is true, polling each timer turn; rejects after `ms` with `what` in the message. */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `ws` with a record of every socket it made, so a test can cut one abruptly or count attempts. */
export function trackedWebSocket(): { made: WebSocket[]; Tracked: typeof WebSocket } {
  const made: WebSocket[] = [];
  class Tracked extends WebSocket {
    constructor(url: string, protocols: string | string[]) {
      super(url, protocols);
      made.push(this);
    }
  }
  return { made, Tracked: Tracked as typeof WebSocket };
}
