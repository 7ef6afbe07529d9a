/**
 * Typed errors: every refusal says what happened and what to do. The explanations come from `describeReason`,
 * which `MqttClient` passes to every error it makes; without it an error names the code and where it is explained.
 */
import { describe, expect, it } from 'vitest';
import { ClientClosedError, ConnectionRefusedError, PublishError, SubscribeError } from '../../src/client/errors.ts';
import { connackReason, describeReason } from '../../src/client/reasons.ts';
import { MqttError } from '../../src/errors.ts';

/** Every MQTT 5.0 reason code >= 0x80 the specification defines (section 2.4). */
const V5_FAILURES = [
  0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93,
  0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
];

describe('ConnectionRefusedError', () => {
  it.each([
    [1, 0x84, /protocolVersion: 4/],
    [2, 0x85, /clientId/],
    [3, 0x88, /retries/],
    [4, 0x86, /username\/password or what credentials\(\) returns/],
    [5, 0x87, /not authorized/],
  ])('[MQTT-3.2.2-6] 3.1.1 return code %i maps to 5.0 reason 0x%s and says what to do', (code, reason, advice) => {
    const error = new ConnectionRefusedError(connackReason(code, 4), code, undefined, describeReason);
    expect(error).toBeInstanceOf(MqttError);
    expect(error.reasonCode).toBe(reason);
    expect(error.returnCode).toBe(code);
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toMatch(advice);
  });

  it.each(V5_FAILURES)('5.0 reason 0x%s has its own explanation', (code) => {
    const message = new ConnectionRefusedError(code, undefined, undefined, describeReason).message;
    expect(message).toMatch(/^The server refused the connection: reason 0x[0-9a-f]{2} \(/);
    expect(message).not.toMatch(/unknown reason code/);
  });

  it('all explanations differ, and an unknown code still gives a readable message', () => {
    const texts = new Set(V5_FAILURES.map(describeReason));
    expect(texts.size).toBe(V5_FAILURES.length);
    expect(describeReason(0xfe)).toMatch(/0xfe \(unknown reason code\)/);
  });

  it('is final for credentials, authorization, client id, protocol version and bans; not for server busy', () => {
    for (const code of [0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c]) expect(new ConnectionRefusedError(code, undefined).final).toBe(true);
    for (const code of [0x80, 0x88, 0x89, 0x9f]) expect(new ConnectionRefusedError(code, undefined).final).toBe(false);
  });

  it("includes the server's reason string", () => {
    expect(new ConnectionRefusedError(0x87, undefined, 'tenant suspended').message).toMatch(/server says: tenant suspended/);
  });

  it('without describeReason names the code and where it is explained', () => {
    const error = new ConnectionRefusedError(0x86, undefined, 'bad token');
    expect(error).toMatchObject({ code: 'CONNECTION_REFUSED', reasonCode: 0x86, final: true });
    expect(error.message).toBe(
      'The server refused the connection: reason 0x86 (describeReason(0x86) explains it); server says: bad token',
    );
  });
});

describe('other errors', () => {
  it('name the topic or filter and carry codes', () => {
    expect(new PublishError(0x97, 'a/b')).toMatchObject({ code: 'PUBLISH_FAILED', reasonCode: 0x97, name: 'PublishError' });
    expect(new PublishError(0x97, 'a/b', undefined, describeReason).message).toMatch(/"a\/b".*quota exceeded/);
    expect(new SubscribeError(0x8f, 'a/#', describeReason).message).toMatch(/"a\/#".*topic filter invalid/);
    expect(new SubscribeError(0x8f, 'a/#')).toMatchObject({ filter: 'a/#', reasonCode: 0x8f });
    expect(new ClientClosedError().message).toMatch(/client was closed/);
  });
});
