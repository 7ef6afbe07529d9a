/** Readers for the packets a server sends: all a client needs to decode, without the server-side readers. */
import { readAck } from './ack.ts';
import { readConnack } from './connack.ts';
import { readPing } from './ping.ts';
import { readPublish } from './publish.ts';
import type { Readers } from './stream-decoder.ts';
import { readSuback } from './suback.ts';

/** What a server may send a client; anything else (CONNECT, SUBSCRIBE, ...) is a ProtocolError to a client's decoder. */
export const SERVER_SENT_READERS: Readers = {
  connack: readConnack,
  publish: readPublish,
  puback: readAck,
  pubrec: readAck,
  pubrel: readAck,
  pubcomp: readAck,
  suback: readSuback,
  unsuback: readSuback,
  pingresp: readPing,
  disconnect: readAck,
  auth: readAck,
};
