/**
 * The MQTT 3.1.1 + 5.0 codec: `encode`, the streaming `PacketDecoder`, `decode`, reason codes, the property table.
 * For a smaller bundle, the per-type pieces: `encodePublish`, `encodeSubscribe`, ... and a `StreamDecoder` given
 * only the readers (`readPublish`, `readConnack`, ...) an app needs.
 */
export * from './packets.ts';
export { encode } from './encode.ts';
export { decode, PacketDecoder, ALL_READERS, type DecoderOptions } from './decoder.ts';
export { StreamDecoder, type BodyReader, type DecodeResult, type Readers, type StreamDecoderOptions } from './stream-decoder.ts';
export { encodeConnect, readConnect } from './connect.ts';
export { encodePublish, readPublish } from './publish.ts';
// Every other packet type is read and written by one pair of functions (layouts.ts), exported under each name.
export {
  encodeLayout as encodeAck,
  readLayout as readAck,
  encodeLayout as encodeConnack,
  readLayout as readConnack,
  encodeLayout as encodeDisconnect,
  readLayout as readDisconnect,
  encodeLayout as encodePing,
  readLayout as readPing,
  encodeLayout as encodeSuback,
  readLayout as readSuback,
  encodeLayout as encodeSubscribe,
  readLayout as readSubscribe,
  encodeLayout as encodeUnsubscribe,
  readLayout as readUnsubscribe,
} from './layouts.ts';
export { ReasonCode, reasonCodeName, type ReasonCodeName } from './reasonCodes.ts';
export { PROPERTIES, type AllowedIn, type PropertyRow, type PropertyType } from './properties.ts';
