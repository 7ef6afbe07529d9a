/**
 * DISCONNECTs the broker sends: only DISCONNECT reason codes (a hook's CONNACK-only code is translated), never a
 * Session Expiry Interval, and nothing after them.
 */
import { describe, expect, it } from 'vitest';
import type { AuthenticationMethod } from '../src/hooks.ts';
import { memoryBroker } from './support/memory-broker.ts';
import { MemoryClient } from './support/memory-client.ts';

const METHOD = 'ONE-SHOT';

/** Accepts the first authentication at once, refuses any re-authentication with the hook's `reasonCode`. */
const firstTimeOnly = (reasonCode: number): AuthenticationMethod => (request) => () =>
  request.reauthentication ? { status: 'failure', reasonCode, reasonString: 'no again' } : { status: 'success' };

async function reauthenticationRefusedWith(hookCode: number): Promise<MemoryClient> {
  const broker = memoryBroker({ hooks: { authenticationMethods: { [METHOD]: firstTimeOnly(hookCode) } } });
  const { client, connack } = await MemoryClient.connect(broker, { protocolVersion: 5, properties: { authenticationMethod: METHOD } });
  expect(connack.reasonCode).toBe(0);
  client.send({ type: 'auth', reasonCode: 0x19, properties: { authenticationMethod: METHOD } });
  return client;
}

describe('conformance: DISCONNECT from the broker', () => {
  it('[MQTT-3.14.2-1] [MQTT-4.12.1-2] a re-authentication refused with CONNACK-only 0x86 is DISCONNECT 0x87', async () => {
    const client = await reauthenticationRefusedWith(0x86);
    expect((await client.next('disconnect')).reasonCode).toBe(0x87);
    await client.closed();
  });

  it('[MQTT-3.14.2-1] a hook\'s reason code valid in DISCONNECT is kept', async () => {
    const client = await reauthenticationRefusedWith(0x98);
    expect((await client.next('disconnect')).reasonCode).toBe(0x98);
  });

  it('[MQTT-3.14.2-2] [MQTT-3.14.4-1] a server DISCONNECT has no session expiry and is the last packet', async () => {
    const broker = memoryBroker();
    const { client } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'taken', properties: { sessionExpiryInterval: 60 } });
    await client.subscribe('t', 1);
    await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'taken', clean: false, properties: { sessionExpiryInterval: 60 } });
    broker.publish({ topic: 't', payload: 'after', qos: 1 });
    await client.closed();
    const last = client.received.at(-1);
    expect(last?.type === 'disconnect' && [last.reasonCode, last.properties?.sessionExpiryInterval]).toEqual([0x8e, undefined]);
  });
});
