/**
 * The MQTT 3.1.1 + 5.0 codec: `encode`, the streaming `PacketDecoder`, `decode`, reason codes, the property table.
 * For a smaller bundle, the per-type pieces: `encodePublish`, `encodeSubscribe`, ... and a `StreamDecoder` given
 * only the readers (`readPublish`, `readConnack`, ...) an app needs.
 */
export * from './packets.ts';
export { encode } from './encode.ts';
export { decode, PacketDecoder, ALL_READERS, type DecoderOptions } from './decoder.ts';
export { StreamDecoder, type BodyReader, type DecodeResult, type Readers, type StreamDecoderOptions } from './stream-decoder.ts';
export { encodeAck, readAck } from './ack.ts';
export { encodeConnack, readConnack } from './connack.ts';
export { encodeConnect, readConnect } from './connect.ts';
export { encodeDisconnect, readDisconnect } from './disconnect.ts';
export { encodePing, readPing } from './ping.ts';
export { encodePublish, readPublish } from './publish.ts';
export { encodeSuback, readSuback } from './suback.ts';
export { encodeSubscribe, readSubscribe } from './subscribe.ts';
export { encodeUnsubscribe, readUnsubscribe } from './unsubscribe.ts';
export { ReasonCode, reasonCodeName, type ReasonCodeName } from './reasonCodes.ts';
export { PROPERTIES, type AllowedIn, type PropertyRow, type PropertyType } from './properties.ts';
