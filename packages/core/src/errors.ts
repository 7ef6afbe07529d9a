/**
 * Typed errors. Every error says what happened and what to do; `reasonCode` carries the MQTT 5.0 reason code
 * where one applies, so a broker can answer with it and a user can branch on it.
 */
export class MqttError extends Error {
  /** A stable machine-readable code, e.g. `MALFORMED_PACKET`. */
  readonly code: string;
  /** MQTT 5.0 reason code, where one applies. */
  readonly reasonCode: number | undefined;

  constructor(code: string, message: string, reasonCode?: number) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.reasonCode = reasonCode;
  }
}

/** Bytes that are not a valid MQTT packet (reason 0x81). */
export class MalformedPacketError extends MqttError {
  constructor(message: string, reasonCode = 0x81) {
    super('MALFORMED_PACKET', message, reasonCode);
  }
}

/**
 * A well-formed packet that breaks the protocol's rules (reason 0x82 unless a more precise code applies), such as
 * one larger than the Maximum Packet Size (0x95, code `PACKET_TOO_LARGE`: 5.0 3.1.2.11.4 calls it a Protocol Error).
 */
export class ProtocolError extends MqttError {
  constructor(message: string, reasonCode = 0x82) {
    super(reasonCode === 0x95 ? 'PACKET_TOO_LARGE' : 'PROTOCOL_ERROR', message, reasonCode);
  }
}

/** A value the caller passed that cannot be encoded or used: the message names the field and the fix. */
export class InvalidArgumentError extends MqttError {
  /** The argument or packet field at fault, e.g. `topic` or `subscriptions[2].filter`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super('INVALID_ARGUMENT', `${field}: ${message}`);
    this.field = field;
  }
}
