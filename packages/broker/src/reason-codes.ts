import { ReasonCode } from '@mqttkit/core/codec';

/**
 * Core's reason codes by name (as `Reason`), and the 3.1.1 CONNACK return code each CONNACK refusal maps to.
 * One table so a handler says `Reason.NotAuthorized` and never has to know the protocol version.
 */
export const Reason = ReasonCode;

/** 3.1.1 CONNACK return codes (MQTT-3.2.2.3). */
export const ConnackV4 = {
  Accepted: 0,
  UnacceptableProtocolVersion: 1,
  IdentifierRejected: 2,
  ServerUnavailable: 3,
  BadUserNameOrPassword: 4,
  NotAuthorized: 5,
} as const;

/** The 3.1.1 CONNACK return code closest to a 5.0 CONNACK reason code. */
export function connackCodeV4(reasonCode: number): number {
  switch (reasonCode) {
    case Reason.Success:
      return ConnackV4.Accepted;
    case Reason.UnsupportedProtocolVersion:
      return ConnackV4.UnacceptableProtocolVersion;
    case Reason.ClientIdentifierNotValid:
      return ConnackV4.IdentifierRejected;
    case Reason.BadUserNameOrPassword:
    case Reason.BadAuthenticationMethod:
      return ConnackV4.BadUserNameOrPassword;
    case Reason.NotAuthorized:
      return ConnackV4.NotAuthorized;
    default:
      return ConnackV4.ServerUnavailable;
  }
}

/** The reason codes a 5.0 CONNACK may carry (MQTT 5.0 3.2.2.2). */
const CONNACK_CODES: ReadonlySet<number> = new Set([
  0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b,
  0x9c, 0x9d, 0x9f,
]);

/** The 5.0 CONNACK reason code for a refusal (MQTT-3.2.2-8): a code CONNACK may carry stands, anything else is 0x80. */
export function connackCode(reasonCode: number): number {
  return CONNACK_CODES.has(reasonCode) ? reasonCode : Reason.UnspecifiedError;
}

/** The reason codes a DISCONNECT may carry (MQTT 5.0 3.14.2.1); CONNACK-only ones such as 0x86 are not among them. */
const DISCONNECT_CODES: ReadonlySet<number> = new Set([
  0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
  0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
]);

/**
 * The DISCONNECT reason code for a failure (MQTT-3.14.2-1): a code a DISCONNECT may carry stands; an
 * authentication refusal only CONNACK knows (0x86 bad credentials, 0x8A banned, 0x8C bad method) becomes 0x87
 * Not authorized; anything else 0x80 Unspecified error.
 */
export function disconnectCode(reasonCode: number): number {
  if (DISCONNECT_CODES.has(reasonCode)) return reasonCode;
  switch (reasonCode) {
    case Reason.BadUserNameOrPassword:
    case Reason.Banned:
    case Reason.BadAuthenticationMethod:
      return Reason.NotAuthorized;
    default:
      return Reason.UnspecifiedError;
  }
}
