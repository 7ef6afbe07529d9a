/** UNSUBSCRIBE (type 10): topic filters to remove. */
import { topicFilterProblem, validateTopicFilter } from '../topics/index.ts';
import type { ProtocolVersion, UnsubscribePacket } from './packets.ts';
import { checkProperties, readProperties, writeProperties } from './properties.ts';
import { malformed, protocolError, type Reader } from './reader.ts';
import { checkPacketId, invalid } from './validate.ts';
import { writer } from './writer.ts';

export function encodeUnsubscribe(p: UnsubscribePacket, v: ProtocolVersion): Uint8Array {
  checkPacketId(p.packetId);
  const filters = p.filters;
  if (!Array.isArray(filters) || !filters.length) invalid('filters', 'must hold at least one filter [MQTT-3.10.3-2]');
  filters.forEach((f, i) => validateTopicFilter(f, `filters[${i}]`));
  checkProperties(p.properties, 'unsubscribe', v);
  const w = writer.begin();
  w.u16(p.packetId);
  if (v === 5) writeProperties(w, p.properties);
  for (const f of filters) w.str(f);
  return w.finish(0xa2);
}

export function readUnsubscribe(r: Reader, v: ProtocolVersion): UnsubscribePacket {
  const packetId = r.u16();
  if (!packetId) malformed('packet identifier 0 [MQTT-2.3.1-1]');
  const props = v === 5 ? readProperties(r, 'unsubscribe') : undefined;
  const filters: string[] = [];
  while (r.left()) {
    const filter = r.str();
    if (topicFilterProblem(filter)) malformed(`invalid topic filter ${JSON.stringify(filter.slice(0, 80))}`);
    filters.push(filter);
  }
  if (!filters.length) protocolError('UNSUBSCRIBE without filters [MQTT-3.10.3-2]');
  const packet: UnsubscribePacket = { type: 'unsubscribe', packetId, filters };
  if (props) packet.properties = props;
  return packet;
}
