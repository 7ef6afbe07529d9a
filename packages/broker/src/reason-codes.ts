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
