/**
 * Checks on what a caller asks us to encode. They run once, before any byte is written, and throw
 * InvalidArgumentError naming the packet field at fault.
 */
import { InvalidArgumentError } from '../errors.ts';

export function invalid(field: string, message: string): never {
  throw new InvalidArgumentError(field, message);
}

/** An integer in [min, max]; the default range is a packet identifier's [MQTT-2.3.1-1]. */
export function checkInt(x: unknown, field = 'packetId', min = 1, max = 65_535): void {
  if (!Number.isInteger(x) || (x as number) < min || (x as number) > max) invalid(field, `must be an integer from ${min} to ${max}, not ${x}`);
}

export function checkQos(x: unknown, field = 'qos'): void {
  checkInt(x, field, 0, 2);
}

export function checkBool(x: unknown, field: string): void {
  if (typeof x !== 'boolean') invalid(field, 'must be a boolean');
}

/**
 * %TypedArray%.prototype[Symbol.toStringTag]: a typed array's internal name, undefined for anything else. It tells
 * a Uint8Array from any realm (an iframe, a worker's structured clone, jsdom), where instanceof would not, and costs
 * ~10 ns where Object.prototype.toString costs ~200 ns; unlike toString, a plain object faking the tag fails it.
 */
const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;

/** Binary data: a Uint8Array of at most `max` bytes (65,535 with a length prefix). */
export function checkBytes(x: unknown, field: string, max = 65_535): void {
  if (typedArrayName.call(x) !== 'Uint8Array' || (x as Uint8Array).length > max) {
    invalid(field, `must be a Uint8Array of at most ${max} bytes`);
  }
}

/** A string MQTT can carry: well-formed UTF-16, no U+0000, at most 65,535 UTF-8 bytes [MQTT-1.5.4-1] [MQTT-1.5.4-2]. */
export function checkString(x: unknown, field: string): void {
  if (!isMqttString(x)) invalid(field, 'must be a well-formed string without U+0000, at most 65,535 UTF-8 bytes');
}

/** The test of `checkString`, for callers that build the field name only when it fails. */
export const isMqttString = (x: unknown): boolean =>
  typeof x === 'string' &&
  !x.includes('\0') &&
  (x as unknown as { isWellFormed(): boolean }).isWellFormed() &&
  // Each UTF-16 unit is 1-3 bytes, so only long strings need counting.
  (x.length <= 21_845 || new TextEncoder().encode(x).length <= 65_535);

/**
 * A fast, conservative accept for topic names: non-empty, short enough that 65,535 bytes cannot be exceeded,
 * and free of wildcards, U+0000 and surrogates. Anything else goes to the topics module's `topicNameProblem`,
 * which has the final word (and the message); this only saves its scan for the common case.
 */
export const isPlainTopicName = (topic: string): boolean => topic.length > 0 && topic.length <= 21_845 && !/[+#\0\ud800-\udfff]/.test(topic);
