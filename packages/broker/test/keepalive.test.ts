import { describe, expect, it } from 'vitest';
import { MemoryClient } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

describe('keepalive (one sweep per broker)', () => {
  it('[MQTT-3.1.2-24] the silent client is closed after 1.5 keepalives; one that sends PINGREQ stays', async () => {
    const broker = memoryBroker();
    const { client: silent } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'silent', keepalive: 1 });
    const { client: talker } = await MemoryClient.connect(broker, { protocolVersion: 4, clientId: 'talker', keepalive: 1 });
    const started = Date.now();
    const pinger = setInterval(() => talker.send({ type: 'pingreq' }), 300);
    try {
      const disconnect = await silent.next('disconnect', 4000);
      const elapsed = Date.now() - started;
      expect(disconnect.reasonCode).toBe(0x8d);
      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(3000); // 1.5 s plus at most one sweep (0.5 s), with room for a loaded machine
      await silent.closed();
      expect(talker.closedByBroker).toBe(false);
      expect(broker.connectedCount).toBe(1);
    } finally {
      clearInterval(pinger);
    }
  });

  it('clients that leave are forgotten by the sweep, and a later client is still watched', async () => {
    const broker = memoryBroker();
    for (let i = 0; i < 3; i++) {
      const { client } = await MemoryClient.connect(broker, { clientId: `gone-${i}`, keepalive: 1 });
      client.send({ type: 'disconnect' });
      await client.closed();
    }
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'late', keepalive: 1 });
    expect((await client.next('disconnect', 4000)).reasonCode).toBe(0x8d);
  });
});
