/**
 * The client's typed errors. Each message says what happened and what to do; `reasonCode` is the 5.0 code.
 * Errors carrying a reason code take an `explain` function: `describeReason` (what `MqttClient` passes) adds
 * what the code means and what to do; without it the message names the code and where to look it up, so a
 * bundle that does not want the 3 KB of texts does not carry them.
 */
import { MqttError } from '../errors.ts';

/** Turns a reason code into the words an error message uses, e.g. `describeReason`. */
export type ReasonExplainer = (code: number) => string;

/** "reason 0x86 (describeReason(0x86) explains it)": for clients built without `reasonTexts`. */
export const reasonNumber: ReasonExplainer = (code) => {
  const hex = `0x${code.toString(16).padStart(2, '0')}`;
  return `reason ${hex} (describeReason(${hex}) explains it)`;
};

/** "; server says: ..." with a 5.0 Reason String, nothing without one. */
export const serverSays = (reasonString: string | undefined): string => (reasonString ? `; server says: ${reasonString}` : '');

/**
 * The server refused the connection (CONNACK with a failure code). `reasonCode` is the 5.0 code, also at 3.1.1
 * (return codes 1-5 map to 0x84-0x88 equivalents; the raw one is in `returnCode`). `final` refusals (bad
 * credentials, not authorized, banned, ...) stop reconnecting unless `retryOnRefusal` is set.
 */
export class ConnectionRefusedError extends MqttError {
  /** The 3.1.1 return code as received, when connected with protocolVersion 4. */
  readonly returnCode: number | undefined;
  readonly final: boolean;
  constructor(reasonCode: number, returnCode: number | undefined, reasonString?: string, explain = reasonNumber) {
    super('CONNECTION_REFUSED', `The server refused the connection: ${explain(reasonCode)}${serverSays(reasonString)}`, reasonCode);
    this.returnCode = returnCode;
    this.final = FINAL_REFUSALS.includes(reasonCode);
  }
}

/** Refusals a retry with the same settings cannot fix: protocol version, client id, credentials, authorization. */
const FINAL_REFUSALS = [0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c];

/** The server answered a publish with a failure reason code (PUBACK/PUBREC >= 0x80), or the client refused to send it. */
export class PublishError extends MqttError {
  constructor(reasonCode: number, topic: string, reasonString?: string, explain = reasonNumber) {
    super('PUBLISH_FAILED', `Publish to "${topic}" failed: ${explain(reasonCode)}${serverSays(reasonString)}`, reasonCode);
  }
}

/** The server refused a subscription (SUBACK >= 0x80). */
export class SubscribeError extends MqttError {
  readonly filter: string;
  constructor(reasonCode: number, filter: string, explain = reasonNumber) {
    super('SUBSCRIBE_FAILED', `Subscription to "${filter}" was refused: ${explain(reasonCode)}`, reasonCode);
    this.filter = filter;
  }
}

/** The operation could not finish because `close()` was called. */
export class ClientClosedError extends MqttError {
  constructor(what = 'The operation') {
    super('CLIENT_CLOSED', `${what} did not complete because the client was closed; create a new client to continue`);
  }
}

/** Something the client waited for did not arrive in time (CONNACK, PINGRESP, a response to `request()`). */
export class TimeoutError extends MqttError {
  constructor(message: string) {
    super('TIMEOUT', message);
  }
}

/** The offline queue was full: the publish was dropped under the `offlineQueue.overflow` policy. */
export class QueueFullError extends MqttError {
  constructor(limit: number, topic: string) {
    super(
      'QUEUE_FULL',
      `Publish to "${topic}" was dropped: the offline queue holds at most ${limit} messages; raise offlineQueue.limit or publish less while offline`,
    );
  }
}

/** The connection ended: the socket closed or failed, or the server sent DISCONNECT (`reasonCode` then set). */
export class ConnectionLostError extends MqttError {
  constructor(message: string, reasonCode?: number) {
    super('CONNECTION_LOST', message, reasonCode);
  }
}

/** `error` as an `MqttError`: itself when it is one, otherwise wrapped with what was being done. */
export function asMqttError(error: unknown, what: string): MqttError {
  return error instanceof MqttError ? error : new MqttError('ERROR', `${what}: ${error instanceof Error ? error.message : String(error)}`);
}
