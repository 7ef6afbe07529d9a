import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuthenticateRequest, AuthenticateResult } from '../hooks.ts';

/**
 * Password hashes in the form `scrypt$N$r$p$salt$hash` (base64 salt and hash), one `user:hash` per line in a
 * password file, as `mqttkit-broker passwd FILE USER` writes them.
 */
const N = 16384;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEY_BYTES, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function scryptAsync(password: Uint8Array, salt: Buffer, length: number, options: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** Checks `password` against a stored hash in constant time (the comparison; scrypt itself dominates anyway). */
export async function verifyPassword(password: Uint8Array, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Parses `user:hash` lines; `#` starts a comment. */
export function parsePasswordFile(text: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`password file: expected "user:hash", got "${line.slice(0, 40)}"`);
    users.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return users;
}

export function readPasswordFile(path: string): Map<string, string> {
  return parsePasswordFile(readFileSync(path, 'utf8'));
}

/** Replaces or appends `user`'s line in password-file text. */
export function setPasswordLine(text: string, user: string, hash: string): string {
  if (user.includes(':')) throw new Error('a user name cannot contain ":"');
  const lines = text.split(/\r?\n/).filter((line) => line !== '' && !line.startsWith(`${user}:`));
  lines.push(`${user}:${hash}`);
  return lines.join('\n') + '\n';
}

// A hash of a random password, checked for unknown users so they take as long as known ones.
let decoy: string | undefined;

/**
 * An `authenticate` hook over a user → hash map. Anonymous clients (no user name) are refused unless
 * `allowAnonymous`. Values that are not `scrypt$` hashes are taken as plain passwords (handy in tests and
 * configs, but prefer hashes).
 */
export function passwordAuthenticator(users: Map<string, string>, allowAnonymous = false): (request: AuthenticateRequest) => Promise<AuthenticateResult> {
  return async (request) => {
    // mosquitto answers an anonymous client it does not allow with "not authorized" (5 / 0x87).
    if (request.username === undefined) return allowAnonymous || { reasonCode: 0x87, reasonString: 'anonymous clients are not allowed' };
    const stored = users.get(request.username);
    const password = request.password ?? new Uint8Array();
    if (stored !== undefined && !stored.startsWith('scrypt$')) {
      const expected = Buffer.from(stored);
      const given = Buffer.from(password);
      return expected.length === given.length && timingSafeEqual(expected, given);
    }
    decoy ??= hashPassword(randomBytes(12).toString('base64'));
    const ok = await verifyPassword(password, stored ?? decoy);
    return ok && stored !== undefined;
  };
}
