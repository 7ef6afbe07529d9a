/**
 * One 2-node RabbitMQ cluster per test file (`npm run test:interop`): started before the file's tests (20-40 s),
 * closed after them, with 3.1.1 clients (RabbitMQ 3.10 has no 5.0) closed after each test.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startRabbitMq, type RabbitMqCluster, type RabbitMqNode } from '../../support/rabbitmq.ts';
import { Clients } from './clients.ts';

export function useRabbitMqPair(prepare?: (one: RabbitMqNode) => Promise<unknown>): { nodes: () => [RabbitMqNode, RabbitMqNode]; clients: Clients } {
  let cluster: RabbitMqCluster | undefined;
  beforeAll(async () => {
    cluster = await startRabbitMq({ nodes: 2 });
    await prepare?.(cluster.nodes[0]!);
  }, 240_000);
  afterAll(async () => {
    await cluster?.close();
  }, 90_000);
  const clients = new Clients({ protocolVersion: 4, username: 'guest', password: 'guest' });
  afterEach(() => clients.closeAll());
  return { nodes: () => cluster!.nodes as [RabbitMqNode, RabbitMqNode], clients };
}
