/** UNSUBSCRIBE (type 10): topic filters to remove. */
import { validateTopicFilter } from '../topics/index.ts';
import { readPacketId } from './ack.ts';
import type { ProtocolVersion, UnsubscribePacket } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { protocolError, type Reader } from './reader.ts';
import { readFilter } from './subscribe.ts';
import { checkInt, invalid } from './validate.ts';
import { writer } from './writer.ts';

export function encodeUnsubscribe(p: UnsubscribePacket, v: ProtocolVersion): Uint8Array {
  checkInt(p.packetId);
  const filters = p.filters;
  if (!filters?.length) invalid('filters', 'must hold at least one filter [MQTT-3.10.3-2]');
  filters.forEach((f, i) => validateTopicFilter(f, `filters[${i}]`));
  checkProperties(p.properties, 10, v);
  const w = writer.begin();
  w.u16(p.packetId);
  if (v === 5) writeProperties(w, p.properties);
  for (const f of filters) w.str(f);
  return w.finish(0xa2);
}

export function readUnsubscribe(r: Reader, _first: number, v: ProtocolVersion): UnsubscribePacket {
  const packet: UnsubscribePacket = { type: 'unsubscribe', packetId: readPacketId(r), filters: [] };
  const props = v === 5 ? readProperties(r, 10) : undefined;
  if (props) packet.properties = props;
  while (r.left()) packet.filters.push(readFilter(r));
  if (!packet.filters.length) protocolError('no filters [MQTT-3.10.3-2]');
  return packet;
}
