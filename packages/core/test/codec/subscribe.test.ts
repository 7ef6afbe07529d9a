import { describe, expect, it } from 'vitest';
import { decode, encode, type SubscribePacket, type UnsubscribePacket } from '../../src/codec/index.ts';
import { MalformedPacketError, ProtocolError } from '../../src/errors.ts';
import { hex, vector } from './helpers.ts';

describe('SUBSCRIBE', () => {
  it('[MQTT-3.8.3-1] 3.1.1: filters with their requested QoS', () => {
    const packet: SubscribePacket = { type: 'subscribe', packetId: 10, subscriptions: [{ filter: 'a/+', qos: 1 }, { filter: '#', qos: 0 }] };
    expect(vector(packet, 4, '82 0c 00 0a 00 03 61 2f 2b 01 00 01 23 00')).toEqual(packet);
  });

  it('[MQTT-3.8.3-1] 5.0: subscription options and a subscription identifier', () => {
    const packet: SubscribePacket = {
      type: 'subscribe', packetId: 10, properties: { subscriptionIdentifier: [100] },
      subscriptions: [{ filter: 'a', qos: 2, noLocal: true, retainAsPublished: true, retainHandling: 2 }],
    };
    expect(vector(packet, 5, '82 09 00 0a 02 0b 64 00 01 61 2e')).toEqual(packet);
  });

  it('[MQTT-3.8.1-1] SUBSCRIBE fixed header flags must be 0010', () => {
    expect(() => decode(hex('80 06 00 0a 00 01 61 00'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.8.3-3] a SUBSCRIBE without subscriptions is a protocol error', () => {
    expect(() => decode(hex('82 02 00 0a'), 4)).toThrow(ProtocolError);
    expect(() => decode(hex('82 03 00 0a 00'), 5)).toThrow(ProtocolError);
    expect(() => encode({ type: 'subscribe', packetId: 1, subscriptions: [] }, 4)).toThrow(expect.objectContaining({ field: 'subscriptions' }));
  });

  it('[MQTT-3-8.3-4] 3.1.1: reserved option bits are malformed', () => {
    expect(() => decode(hex('82 06 00 0a 00 01 61 04'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.8.3-5] 5.0: reserved option bits 6-7 are malformed', () => {
    expect(() => decode(hex('82 07 00 0a 00 00 01 61 40'), 5)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3-8.3-4] 3.1.1: a requested QoS of 3 is malformed', () => {
    expect(() => decode(hex('82 06 00 0a 00 01 61 03'), 4)).toThrow(MalformedPacketError);
  });

  it('5.0 3.8.3.1: a Maximum QoS of 3 and a Retain Handling of 3 are protocol errors (0x82)', () => {
    const protocolError = expect.objectContaining({ name: 'ProtocolError', reasonCode: 0x82 });
    expect(() => decode(hex('82 07 00 0a 00 00 01 61 03'), 5)).toThrow(protocolError);
    expect(() => decode(hex('82 07 00 0a 00 00 01 61 30'), 5)).toThrow(protocolError);
    // A reserved bit stays malformed whatever the QoS [MQTT-3.8.3-5].
    expect(() => decode(hex('82 07 00 0a 00 00 01 61 43'), 5)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.8.3-4] No Local on a shared subscription is a protocol error', () => {
    // $share/g/a with options 0x04
    expect(() => decode(hex('82 10 00 0a 00 00 0a 24 73 68 61 72 65 2f 67 2f 61 04'), 5)).toThrow(ProtocolError);
    const packet: SubscribePacket = { type: 'subscribe', packetId: 1, subscriptions: [{ filter: '$share/g/a', qos: 0, noLocal: true }] };
    expect(() => encode(packet, 5)).toThrow(expect.objectContaining({ field: 'subscriptions[0].noLocal' }));
  });

  it('[MQTT-4.7.1-2] [MQTT-4.7.1-3] malformed filters are refused on decode, and named on encode', () => {
    expect(() => decode(hex('82 0a 00 0a 00 05 61 2f 23 2f 62 00'), 4)).toThrow(MalformedPacketError); // a/#/b
    expect(() => decode(hex('82 07 00 0a 00 02 61 2b 00'), 4)).toThrow(MalformedPacketError); // a+
    const packet: SubscribePacket = {
      type: 'subscribe', packetId: 1,
      subscriptions: [{ filter: 'a', qos: 0 }, { filter: 'b/#', qos: 1 }, { filter: 'a/#/b', qos: 0 }],
    };
    expect(() => encode(packet, 4)).toThrow(expect.objectContaining({ field: 'subscriptions[2].filter' }));
  });

  it('encode refuses 5.0 options at 3.1.1 and QoS 3', () => {
    expect(() => encode({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'a', qos: 0, noLocal: true }] }, 4)).toThrow(expect.objectContaining({ field: 'subscriptions[0]' }));
    expect(() => encode({ type: 'subscribe', packetId: 1, subscriptions: [{ filter: 'a', qos: 3 as 0 }] }, 4)).toThrow(expect.objectContaining({ field: 'subscriptions[0].qos' }));
  });

  it('[MQTT-3.8.2.1.2] a subscription identifier may appear once in SUBSCRIBE and must not be 0', () => {
    expect(() => decode(hex('82 0a 00 0a 04 0b 01 0b 02 00 01 61 00'), 5)).toThrow(ProtocolError);
    expect(() => decode(hex('82 08 00 0a 02 0b 00 00 01 61 00'), 5)).toThrow(ProtocolError);
  });
});

describe('UNSUBSCRIBE', () => {
  it('[MQTT-3.10.3-1] 3.1.1: a packet identifier and filters', () => {
    const packet: UnsubscribePacket = { type: 'unsubscribe', packetId: 3, filters: ['a/b', '+/#'] };
    expect(vector(packet, 4, 'a2 0c 00 03 00 03 61 2f 62 00 03 2b 2f 23')).toEqual(packet);
  });

  it('[MQTT-3.10.3-1] 5.0: with a property length', () => {
    const packet: UnsubscribePacket = { type: 'unsubscribe', packetId: 3, filters: ['a'] };
    expect(vector(packet, 5, 'a2 06 00 03 00 00 01 61')).toEqual(packet);
  });

  it('[MQTT-3.10.1-1] UNSUBSCRIBE fixed header flags must be 0010', () => {
    expect(() => decode(hex('a0 05 00 03 00 01 61'), 4)).toThrow(MalformedPacketError);
  });

  it('[MQTT-3.10.3-2] an UNSUBSCRIBE without filters is a protocol error', () => {
    expect(() => decode(hex('a2 02 00 03'), 4)).toThrow(ProtocolError);
    expect(() => encode({ type: 'unsubscribe', packetId: 3, filters: [] }, 4)).toThrow(expect.objectContaining({ field: 'filters' }));
  });

  it('invalid filters are malformed and named on encode', () => {
    expect(() => decode(hex('a2 06 00 03 00 02 23 61'), 4)).toThrow(MalformedPacketError);
    expect(() => encode({ type: 'unsubscribe', packetId: 3, filters: ['a', '#/a'] }, 4)).toThrow(expect.objectContaining({ field: 'filters[1]' }));
  });
});
