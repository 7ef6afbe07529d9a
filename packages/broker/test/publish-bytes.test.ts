import { encode, type PublishPacket } from '@mqttkit/core';
import { describe, expect, it } from 'vitest';
import type { BrokerMessage } from '../src/message.ts';
import { publishBytes } from '../src/publish-bytes.ts';

describe('publishBytes: one encoding per message, packet ids patched in', () => {
  it('equals a full encode for every version, QoS, flag and packet id', () => {
    const message: BrokerMessage = {
      topic: 'a/long/topic/' + 'x'.repeat(200), // a two-byte remaining length
      payload: new Uint8Array(300).fill(7),
      qos: 2,
      retain: true,
      properties: { contentType: 'application/json', userProperties: [['k', 'v']] },
    };
    for (const version of [4, 5] as const)
      for (const qos of [0, 1, 2] as const)
        for (const retain of [false, true])
          for (const dup of qos > 0 ? [false, true] : [false])
            for (const packetId of qos > 0 ? [1, 255, 256, 65535] : [undefined]) {
              const packet: PublishPacket = { type: 'publish', topic: message.topic, payload: message.payload, qos, retain, dup };
              if (packetId !== undefined) packet.packetId = packetId;
              if (version === 5) packet.properties = message.properties!;
              expect(publishBytes(message, version, qos, retain, dup, packetId)).toEqual(encode(packet, version));
            }
  });

  it('QoS 0 shares one buffer; QoS 1 copies get their own id', () => {
    const message: BrokerMessage = { topic: 't', payload: new Uint8Array([1]), qos: 1, retain: false };
    expect(publishBytes(message, 4, 0, false, false, undefined)).toBe(publishBytes(message, 4, 0, false, false, undefined));
    const a = publishBytes(message, 4, 1, false, false, 1);
    const b = publishBytes(message, 4, 1, false, false, 2);
    expect(a).not.toEqual(b);
    expect(a).toEqual(encode({ type: 'publish', topic: 't', payload: new Uint8Array([1]), qos: 1, retain: false, dup: false, packetId: 1 }, 4));
  });
});
