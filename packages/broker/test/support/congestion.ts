import type { Broker } from '../../src/broker.ts';

/**
 * Congests the connection of session `clientId`, whose client has stopped reading: publishes 64 KiB QoS 1
 * messages to `flood/<n>`, one per turn so each is written before the next, until the kernel buffers and then the
 * socket's own buffer pass `maxWriteBuffer` (bounded at 600 messages, 38 MiB); then `queued` more, which wait in
 * the session. Returns how many were published in all.
 */
export async function publishUntilCongested(broker: Broker, clientId: string, queued: number): Promise<number> {
  const session = broker.sessions.get(clientId)!;
  const payload = new Uint8Array(64 * 1024);
  let published = 0;
  while (!session.client!.congested && published < 600) {
    broker.publish({ topic: `flood/${published++}`, payload, qos: 1 });
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!session.client!.congested) throw new Error(`${clientId} is not congested after ${published} messages of 64 KiB`);
  for (let i = 0; i < queued; i++) broker.publish({ topic: `flood/${published++}`, payload, qos: 1 });
  if (session.queue.length !== queued) throw new Error(`expected ${queued} messages queued for ${clientId}, found ${session.queue.length}`);
  return published;
}
