/** The MQTT 3.1.1 + 5.0 codec: `encode`, the streaming `PacketDecoder`, `decode`, reason codes, the property table. */
export * from './packets.ts';
export { encode } from './encode.ts';
export { decode, PacketDecoder, type DecoderOptions } from './decoder.ts';
export { ReasonCode, reasonCodeName, type ReasonCodeName } from './reasonCodes.ts';
export { PROPERTIES, type AllowedIn, type PropertyRow, type PropertyType } from './properties.ts';
