/**
 * Checks on what a caller asks us to encode. They run once, before any byte is written, and throw
 * InvalidArgumentError naming the packet field at fault.
 */
import { InvalidArgumentError } from '../errors.ts';

export function invalid(field: string, message: string): never {
  throw new InvalidArgumentError(field, message);
}

/** An integer in [min, max]. */
export function checkInt(x: unknown, field: string, min: number, max: number): void {
  if (!Number.isInteger(x) || (x as number) < min || (x as number) > max) {
    invalid(field, `must be an integer from ${min} to ${max}, got ${String(x)}`);
  }
}

/** A packet identifier: 1-65,535 [MQTT-2.3.1-1]. */
export function checkPacketId(x: unknown, field = 'packetId'): void {
  checkInt(x, field, 1, 65_535);
}

export function checkQos(x: unknown, field = 'qos'): void {
  checkInt(x, field, 0, 2);
}

export function checkBool(x: unknown, field: string): void {
  if (typeof x !== 'boolean') invalid(field, 'must be a boolean');
}

/** Binary data with a two-byte length prefix, or a PUBLISH payload when `max` is larger. */
export function checkBytes(x: unknown, field: string, max = 65_535): void {
  if (!(x instanceof Uint8Array)) invalid(field, 'must be a Uint8Array');
  if (x.length > max) invalid(field, `is ${x.length} bytes, more than ${max}`);
}

/** A string MQTT can carry: well-formed UTF-16, no U+0000, at most 65,535 UTF-8 bytes [MQTT-1.5.4-1] [MQTT-1.5.4-2]. */
export function checkString(x: unknown, field: string): void {
  if (typeof x !== 'string') invalid(field, 'must be a string');
  // Cheap for the common case: every code unit is at least one byte, at most three.
  if (x.length > 21_845 && new TextEncoder().encode(x).length > 65_535) invalid(field, 'is longer than 65,535 UTF-8 bytes');
  if (x.includes('\0')) invalid(field, 'must not contain U+0000');
  if (!(x as unknown as { isWellFormed(): boolean }).isWellFormed()) invalid(field, 'contains an unpaired surrogate');
}
