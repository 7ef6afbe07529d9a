/**
 * What a failure reason code means and what to do about it, for every MQTT 5.0 reason code >= 0x80 and the
 * 3.1.1 CONNACK return codes 1-5 (mapped to their 5.0 equivalents).
 */

/** 3.1.1 CONNACK return codes 1-5 → the 5.0 reason code with the same meaning. */
const V4_CONNACK: Record<number, number> = { 1: 0x84, 2: 0x85, 3: 0x88, 4: 0x86, 5: 0x87 };

/** Maps a CONNACK code to its 5.0 reason code (3.1.1 return codes 1-5 are translated). */
export function connackReason(code: number, protocolVersion: number): number {
  return protocolVersion === 4 ? (V4_CONNACK[code] ?? 0x80) : code;
}

const REASONS: Record<number, string> = {
  0x80: 'unspecified error: the server gave no reason; check its log',
  0x81: 'malformed packet: the server could not parse what the client sent; report it with the server name and version',
  0x82: 'protocol error: the server rejected a packet as a protocol violation; check the options passed and the server log',
  0x83: 'implementation specific error: the server refused for its own reasons; check its log',
  0x84: 'unsupported protocol version: the server does not speak this MQTT version; set protocolVersion: 4 for MQTT 3.1.1',
  0x85: 'client identifier not valid: use a shorter clientId of letters and digits, or leave it out',
  0x86: 'bad user name or password: check username/password or what credentials() returns',
  0x87: 'not authorized: this user may not do this; check the server ACL or use other credentials',
  0x88: 'server unavailable: the server cannot accept connections now; the client retries with backoff',
  0x89: 'server busy: try again later; the client retries with backoff',
  0x8a: 'banned: the server has banned this client; ask its administrator',
  0x8b: 'server shutting down: the client reconnects when it is back',
  0x8c: 'bad authentication method: the server does not support authenticationMethod; use one it supports',
  0x8d: 'keep alive timeout: the server heard nothing within 1.5 x keepalive; the network stalled',
  0x8e: 'session taken over: another connection used the same clientId; give each client its own id',
  0x8f: 'topic filter invalid: the server rejected the filter; check its syntax and the server limits',
  0x90: 'topic name invalid: the server rejected the topic; check its syntax and the server limits',
  0x91: 'packet identifier in use: the server still holds this packet id; a client bug, please report it',
  0x92: 'packet identifier not found: the server has no state for this packet id (the session was lost)',
  0x93: 'receive maximum exceeded: too many QoS 1/2 publishes in flight; a client bug, please report it',
  0x94: 'topic alias invalid: a topic alias was out of range; a client bug, please report it',
  0x95: 'packet too large: the packet exceeds the maximum packet size; send a smaller payload',
  0x96: 'message rate too high: slow down publishing',
  0x97: 'quota exceeded: the server quota for this client is used up; try again later',
  0x98: 'administrative action: an administrator disconnected this client',
  0x99: 'payload format invalid: payloadFormatIndicator is 1 but the payload is not valid UTF-8',
  0x9a: 'retain not supported: the server does not allow retained messages; publish with retain: false',
  0x9b: 'QoS not supported: the server does not allow this QoS; use a lower qos',
  0x9c: 'use another server: the server points elsewhere; set followServerReference: true to follow it',
  0x9d: 'server moved: the server points elsewhere for good; set followServerReference: true or change the url',
  0x9e: 'shared subscriptions not supported: subscribe without $share/',
  0x9f: 'connection rate exceeded: the client connects too often; it retries with backoff',
  0xa0: 'maximum connect time: the server limits how long a connection lasts; the client reconnects',
  0xa1: 'subscription identifiers not supported: subscribe without subscriptionIdentifier',
  0xa2: 'wildcard subscriptions not supported: subscribe to exact topics',
};

/** "reason 0x86 (bad user name or password: check ...)" for logs and error messages. */
export function describeReason(code: number): string {
  return `reason 0x${code.toString(16).padStart(2, '0')} (${REASONS[code] ?? 'unknown reason code'})`;
}

/** The `reasonTexts` feature for `createClient`: error messages say what each reason code means and what to do. */
export const reasonTexts: (code: number) => string = describeReason;
