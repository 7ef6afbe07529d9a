/** Helpers for client tests: waiting on conditions (never sleeping), decoding payloads. */
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
