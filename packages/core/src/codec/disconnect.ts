/** DISCONNECT (type 14) and AUTH (type 15, 5.0 only): an optional reason code and properties, read and written as acks are. */
export { encodeAck as encodeDisconnect, readAck as readDisconnect } from './ack.ts';
