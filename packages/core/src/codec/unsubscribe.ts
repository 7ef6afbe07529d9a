/** UNSUBSCRIBE (type 10): topic filters to remove. */
import { readPacketId } from './ack.ts';
import type { ProtocolVersion, UnsubscribePacket } from './packets.ts';
import type { Reader } from './reader.ts';
import { beginFilters, readFilters, writeFilter } from './subscribe.ts';

export function encodeUnsubscribe(p: UnsubscribePacket, v: ProtocolVersion): Uint8Array {
  const w = beginFilters(p, p.filters, 'filters', 10, v);
  p.filters.forEach((f, i) => writeFilter(w, f, `filters[${i}]`));
  return w.finish(0xa2);
}

export function readUnsubscribe(r: Reader, _first: number, v: ProtocolVersion): UnsubscribePacket {
  const filters: string[] = [];
  return readFilters(r, { type: 'unsubscribe', packetId: readPacketId(r), filters }, filters, 10, v, (filter) => filter);
}
