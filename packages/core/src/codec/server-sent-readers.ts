/** Readers for the packets a server sends: all a client needs to decode, without the server-side readers. */
import { readLayout } from './layouts.ts';
import { readPublish } from './publish.ts';
import type { Readers } from './stream-decoder.ts';

/** What a server may send a client; anything else (CONNECT, SUBSCRIBE, ...) is a ProtocolError to a client's decoder. */
export const SERVER_SENT_READERS: Readers = {
  connack: readLayout,
  publish: readPublish,
  puback: readLayout,
  pubrec: readLayout,
  pubrel: readLayout,
  pubcomp: readLayout,
  suback: readLayout,
  unsuback: readLayout,
  pingresp: readLayout,
  disconnect: readLayout,
  auth: readLayout,
};
