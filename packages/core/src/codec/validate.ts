/**
 * Checks on what a caller asks us to encode. Each returns the value it checked, so an encoder checks a field as
 * it writes it (`w.u16(int(p.packetId))`); a bad value throws InvalidArgumentError naming the field before the
 * packet is finished, and nothing is returned. Strings are checked by `Writer.str` as they are written.
 */
import { InvalidArgumentError } from '../errors.ts';

export function invalid(field: string, message: string): never {
  throw new InvalidArgumentError(field, message);
}

/** An integer in [min, max]; the defaults are a packet identifier's range [MQTT-2.3.1-1]. */
export function int(x: unknown, field = 'packetId', min = 1, max = 65_535): number {
  if (!Number.isInteger(x) || (x as number) < min || (x as number) > max) invalid(field, `must be an integer from ${min} to ${max}`);
  return x as number;
}

export function bool(x: unknown, field: string): boolean {
  if (typeof x !== 'boolean') invalid(field, 'must be a boolean');
  return x;
}

/**
 * %TypedArray%.prototype[Symbol.toStringTag]: a typed array's internal name, undefined for anything else. It tells
 * a Uint8Array from any realm (an iframe, a worker's structured clone, jsdom), where instanceof would not, and costs
 * ~10 ns where Object.prototype.toString costs ~200 ns; unlike toString, a plain object faking the tag fails it.
 */
const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;

/** Binary data: a Uint8Array of at most `max` bytes (65,535 with a length prefix). */
export function bytes(x: unknown, field: string, max = 65_535): Uint8Array {
  if (typedArrayName.call(x) !== 'Uint8Array' || (x as Uint8Array).length > max) invalid(field, `must be a Uint8Array of at most ${max} bytes`);
  return x as Uint8Array;
}
