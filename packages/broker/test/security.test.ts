import { describe, expect, it } from 'vitest';
import { aclHooks, filtersOverlap, parseAcl } from '../src/auth/acl.ts';
import { hashPassword, passwordAuthenticator, verifyPassword } from '../src/auth/passwords.ts';
import { MemoryClient, str, text } from './support/memory-client.ts';
import { memoryBroker } from './support/memory-broker.ts';

const ACL = `
# anonymous clients
topic read public/#

user alice
topic readwrite home/#
topic deny home/secret

user bob
topic read home/temp

pattern readwrite devices/%u/#
pattern write clients/%c/out
`;

const aliceHash = hashPassword('wonderland');

function securedBroker() {
  const users = new Map([['alice', aliceHash], ['bob', 'builder']]);
  return memoryBroker({ hooks: { authenticate: passwordAuthenticator(users, true), ...aclHooks(parseAcl(ACL)) } });
}

describe('authentication', () => {
  it('scrypt hashes verify the right password only', async () => {
    const hash = hashPassword('s3cret');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword(text('s3cret'), hash)).toBe(true);
    expect(await verifyPassword(text('s3cret!'), hash)).toBe(false);
  });

  it('[MQTT-3.2.2-?] a wrong password is CONNACK 0x86 (5.0) / 4 (3.1.1); anonymous, when not allowed, 0x87 / 5', async () => {
    const users = new Map([['alice', aliceHash]]);
    const broker = memoryBroker({ hooks: { authenticate: passwordAuthenticator(users) } });
    const wrong5 = new MemoryClient(broker, 5);
    wrong5.send({ type: 'connect', protocolVersion: 5, clientId: 'a', clean: true, keepalive: 0, username: 'alice', password: text('nope') });
    expect((await wrong5.next('connack')).reasonCode).toBe(0x86);
    const wrong4 = new MemoryClient(broker, 4);
    wrong4.send({ type: 'connect', protocolVersion: 4, clientId: 'b', clean: true, keepalive: 0, username: 'mallory', password: text('x') });
    expect((await wrong4.next('connack')).reasonCode).toBe(4);
    const anonymous = new MemoryClient(broker, 4);
    anonymous.send({ type: 'connect', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0 });
    expect((await anonymous.next('connack')).reasonCode).toBe(5);
    const ok = await MemoryClient.connect(broker, { username: 'alice', password: text('wonderland') });
    expect(ok.connack.reasonCode).toBe(0);
  });
});

describe('ACL', () => {
  it('parses mosquitto-style rules', () => {
    expect(parseAcl(ACL)).toContainEqual({ kind: 'topic', user: 'alice', access: 'deny', filter: 'home/secret' });
    expect(parseAcl('topic a/b')).toEqual([{ kind: 'topic', user: undefined, access: 'readwrite', filter: 'a/b' }]);
    expect(() => parseAcl('topc read x')).toThrow(/line 1/);
  });

  it('filtersOverlap decides whether a subscription can ever see an allowed topic', () => {
    expect(filtersOverlap('home/#', '#')).toBe(true);
    expect(filtersOverlap('home/+/temp', 'home/kitchen/#')).toBe(true);
    expect(filtersOverlap('home/temp', 'office/#')).toBe(false);
    expect(filtersOverlap('$SYS/#', '#')).toBe(false);
  });

  it('5.0: a refused PUBLISH gets PUBACK 0x87 and is not delivered', async () => {
    const broker = securedBroker();
    const { client: alice } = await MemoryClient.connect(broker, { protocolVersion: 5, username: 'alice', password: text('wonderland') });
    await alice.subscribe('#', 1);
    const { client: bob } = await MemoryClient.connect(broker, { protocolVersion: 5, username: 'bob', password: text('builder') });
    bob.send({ type: 'publish', topic: 'home/temp', payload: text('forged'), qos: 1, retain: false, dup: false, packetId: 1 });
    expect((await bob.next('puback')).reasonCode).toBe(0x87);
    expect(await alice.nothingWithin(30)).toBe(true);
  });

  it('3.1.1: a refused PUBLISH is acknowledged as usual and silently dropped', async () => {
    const broker = securedBroker();
    const { client: bob } = await MemoryClient.connect(broker, { username: 'bob', password: text('builder') });
    await bob.subscribe('home/temp', 1);
    bob.send({ type: 'publish', topic: 'home/temp', payload: text('forged'), qos: 1, retain: false, dup: false, packetId: 1 });
    expect(await bob.next('puback')).toEqual({ type: 'puback', packetId: 1 });
    expect(await bob.nothingWithin(30)).toBe(true);
  });

  it('a refused SUBSCRIBE gets SUBACK 0x87 (5.0) / 0x80 (3.1.1)', async () => {
    const broker = securedBroker();
    const { client: v5 } = await MemoryClient.connect(broker, { protocolVersion: 5, username: 'bob', password: text('builder') });
    expect(await v5.subscribe('office/#')).toEqual([0x87]);
    const { client: v4 } = await MemoryClient.connect(broker, { username: 'bob', password: text('builder') });
    expect(await v4.subscribe('office/#')).toEqual([0x80]);
  });

  it('never leaks across the ACL: a # subscription only carries topics the user may read', async () => {
    const broker = securedBroker();
    const { client: bob } = await MemoryClient.connect(broker, { username: 'bob', password: text('builder') });
    expect(await bob.subscribe('#')).toEqual([0]);
    broker.publish({ topic: 'home/secret', payload: 'no' });
    broker.publish({ topic: 'home/kitchen', payload: 'no' });
    broker.publish({ topic: 'home/temp', payload: 'yes' });
    const delivered = await bob.next('publish');
    expect([delivered.topic, str(delivered.payload)]).toEqual(['home/temp', 'yes']);
    expect(await bob.nothingWithin(30)).toBe(true);
  });

  it('retained messages are filtered by the ACL too', async () => {
    const broker = securedBroker();
    broker.publish({ topic: 'home/secret', payload: 'hidden', retain: true });
    broker.publish({ topic: 'home/temp', payload: '21', retain: true });
    const { client: alice } = await MemoryClient.connect(broker, { username: 'alice', password: text('wonderland') });
    await alice.subscribe('home/#');
    expect((await alice.next('publish')).topic).toBe('home/temp');
    expect(await alice.nothingWithin(30)).toBe(true);
  });

  it('patterns substitute %u and %c, and a name with a wildcard cannot escape its level', async () => {
    const broker = securedBroker();
    const { client: bob } = await MemoryClient.connect(broker, { protocolVersion: 5, clientId: 'bob-1', username: 'bob', password: text('builder') });
    expect(await bob.subscribe('devices/bob/#', 1)).toEqual([1]);
    bob.send({ type: 'publish', topic: 'clients/bob-1/out', payload: text('x'), qos: 1, retain: false, dup: false, packetId: 2 });
    expect((await bob.next('puback')).reasonCode).toBe(0x10);
    bob.send({ type: 'publish', topic: 'clients/other/out', payload: text('x'), qos: 1, retain: false, dup: false, packetId: 3 });
    expect((await bob.next('puback')).reasonCode).toBe(0x87);
    const hooks = aclHooks(parseAcl('pattern read devices/%u/#'));
    expect(hooks.authorizeRead({ clientId: 'x', username: '#', remoteAddress: '', protocolVersion: 4 }, 'devices/anything')).toBe(false);
  });
});
