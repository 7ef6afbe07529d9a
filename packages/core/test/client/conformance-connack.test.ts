/** Conformance around CONNACK and DISCONNECT: what the client adopts from the server and what it refuses. */
import { describe, expect, it } from 'vitest';
import { ConnectionLostError } from '../../src/client/errors.ts';
import { settle } from './fakes.ts';
import { accepted, connected, harness, reconnected } from './harness.ts';

describe('Session Present', () => {
  it('[MQTT-3.2.2-4] 5.0: Session Present 1 after a clean start (we hold no session) closes the connection as a protocol error', async () => {
    const h = harness();
    void h.client.connect();
    await settle();
    const connection = h.network.accept({ sessionPresent: true });
    expect(connection.ofType('connect')[0]).toMatchObject({ clean: true });
    expect(connection.closed).toBe(true);
    expect(connection.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x82 }]);
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'reconnecting', error: { code: 'PROTOCOL_ERROR' } });
  });

  it('[MQTT-3.2.2-4] Session Present 1 on a resumed session (clean start 0) is accepted', async () => {
    const h = harness({ sessionExpiryInterval: 600 });
    const first = await connected(h);
    first.drop();
    const second = await reconnected(h, { sessionPresent: true });
    expect(second.ofType('connect')[0]).toMatchObject({ clean: false });
    expect(second.closed).toBe(false);
    expect(h.client.state.getSnapshot().status).toBe('connected');
  });

  it('[MQTT-3.2.2-5] Session Present 0 where a session was expected: subscriptions are sent again and sessionLost is flagged', async () => {
    const h = harness({ sessionExpiryInterval: 600 });
    const first = await connected(h);
    h.client.subscribe('a/+', () => {});
    first.deliver({ type: 'suback', packetId: first.ofType('subscribe')[0]!.packetId, reasonCodes: [0] });
    first.drop();
    const second = await reconnected(h, { sessionPresent: false });
    expect(second.ofType('subscribe').map((p) => p.subscriptions[0]?.filter)).toEqual(['a/+']);
    expect(h.client.state.getSnapshot().sessionLost).toBe(true);
  });
});

describe('the client identifier', () => {
  it('[MQTT-3.1.3-7] 3.1.1: an empty clientId with clean: false is not sent empty; a generated id keeps the session across reconnects', async () => {
    const h = harness({ protocolVersion: 4, clientId: '', clean: false });
    const first = await accepted(h);
    const [connect] = first.ofType('connect');
    expect(connect).toMatchObject({ clean: false });
    expect(connect!.clientId).toMatch(/^mqttkit-[a-z0-9]+$/);
    first.drop();
    const second = await reconnected(h, { sessionPresent: true });
    expect(second.ofType('connect')[0]).toMatchObject({ clientId: connect!.clientId, clean: false });
  });

  it('[MQTT-3.1.3-6] 5.0: an empty clientId stays empty for the server to assign', async () => {
    const h = harness({ clientId: '' });
    const connection = await accepted(h);
    expect(connection.ofType('connect')[0]).toMatchObject({ clientId: '' });
  });
});

describe('a CONNECT that cannot be built', () => {
  it('[MQTT-1.5.4-1] a client id that is not well-formed UTF-8 rejects connect() once, without retrying for ever', async () => {
    const h = harness({ clientId: 'dash-\ud800' });
    const done = h.client.connect();
    await settle();
    h.network.last.open();
    await expect(done).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(h.network.last.closed).toBe(true);
    expect(h.network.last.sent).toEqual([]);
    h.clock.advance(600_000);
    await settle();
    expect(h.network.connections).toHaveLength(1);
    expect(h.client.state.getSnapshot()).toMatchObject({ status: 'idle', error: { code: 'INVALID_ARGUMENT' } });
  });
});

describe('packets out of place', () => {
  it('[MQTT-3.2.0-2] a second CONNACK on a connection is a protocol error: DISCONNECT 0x82, then reconnect', async () => {
    const h = harness();
    const connection = await connected(h);
    connection.deliver({ type: 'connack', sessionPresent: false, reasonCode: 0 });
    expect(connection.ofType('disconnect')).toEqual([{ type: 'disconnect', reasonCode: 0x82 }]);
    expect(connection.closed).toBe(true);
    expect(h.client.state.getSnapshot().status).toBe('reconnecting');
  });

  it('[MQTT-3.2.0-1] a PUBLISH before CONNACK is a protocol error and is not delivered', async () => {
    const h = harness();
    const topics: string[] = [];
    h.client.subscribe('#', (m) => topics.push(m.topic));
    void h.client.connect();
    await settle();
    const connection = h.network.last;
    connection.open();
    connection.deliver({ type: 'publish', topic: 'early', payload: new Uint8Array(), qos: 0, retain: false, dup: false });
    expect(topics).toEqual([]);
    expect(connection.closed).toBe(true);
    expect(h.client.state.getSnapshot().error).toMatchObject({ code: 'PROTOCOL_ERROR' });
  });
});

describe('what CONNACK assigns', () => {
  it('[MQTT-3.2.2-21] the Server Keep Alive replaces ours: PINGREQ follows its interval', async () => {
    const h = harness({ keepalive: 60 });
    const connection = await connected(h, { properties: { serverKeepAlive: 5 } });
    h.clock.advance(4_999);
    expect(connection.ofType('pingreq')).toHaveLength(0);
    h.clock.advance(1);
    expect(connection.ofType('pingreq')).toHaveLength(1);
  });

  it('[MQTT-3.2.2-21] a Server Keep Alive of 0 turns keepalive off', async () => {
    const h = harness({ keepalive: 5 });
    const connection = await connected(h, { properties: { serverKeepAlive: 0 } });
    h.clock.advance(600_000);
    expect(connection.ofType('pingreq')).toHaveLength(0);
    expect(connection.closed).toBe(false);
  });

  it('[MQTT-3.2.2-16] the Assigned Client Identifier is the client id of every later CONNECT', async () => {
    const h = harness();
    const first = await connected(h, { properties: { assignedClientIdentifier: 'srv-42' } });
    first.drop();
    const second = await reconnected(h);
    expect(second.ofType('connect')[0]).toMatchObject({ clientId: 'srv-42' });
    second.drop();
    const third = await reconnected(h);
    expect(third.ofType('connect')[0]).toMatchObject({ clientId: 'srv-42' });
  });
});

describe('DISCONNECT from the server', () => {
  it('[MQTT-3.14.2-1] surfaces the reason code as a typed ConnectionLostError and sends nothing more on that connection', async () => {
    const h = harness();
    const connection = await connected(h);
    connection.deliver({ type: 'disconnect', reasonCode: 0x98 });
    const error = h.client.state.getSnapshot().error;
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error?.reasonCode).toBe(0x98);
    expect(connection.closed).toBe(true);
    void h.client.publish('t', 'x', { qos: 1 });
    expect(connection.sent).toEqual([]);
  });
});
