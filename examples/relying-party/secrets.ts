/**
 * Password, backup-code and e-mail-code handling: scrypt hashes compared in constant time, codes
 * from the CSPRNG. Nothing here is ever handed to telemetry.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const COST: ScryptOptions = { N: 16_384, r: 8, p: 1 };

function derive(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFKC'), salt, KEY_LENGTH, COST, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$<salt>$<hash>` (base64url). */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(secret, Buffer.from(salt, 'base64url'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

// Unambiguous when read aloud or copied from paper: no 0/o, 1/l/i.
const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A backup code such as `k7pw-3mfa`, and its canonical form for hashing. */
export function generateBackupCode(): string {
  const chars = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** What the user typed → the form the hash was made from (case, spaces and dashes ignored). */
export function normalizeBackupCode(input: string): string {
  const compact = input.toLowerCase().replace(/[\s-]/g, '');
  return compact.length === 8 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
}

/** A six-digit one-time code (the simulated e-mail recovery). */
export function generateEmailCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

/** An opaque random id with a readable prefix: `usr_…`, `ses_…`. */
export function opaqueId(prefix: string, bytes = 12): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}
