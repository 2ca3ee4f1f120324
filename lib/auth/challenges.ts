/**
 * Single-use WebAuthn challenges of the dashboard's own ceremonies, kept in the auth store (so a
 * challenge issued before a restart still verifies after it, and never twice).
 */
import { randomBytes } from 'node:crypto';
import type { Row } from './records';
import type { AuthStore } from './store';

export type ChallengePurpose = 'sign_in' | 'join';

/**
 * A fresh challenge (32 random bytes) for a sign-in, or for registering with an invitation (then
 * bound to it and to the user handle the new passkey is made for).
 */
export function issueChallenge(
  store: AuthStore,
  purpose: ChallengePurpose,
  binding?: { invitationId: string; userHandle: string },
): { base64url: string; bytes: Uint8Array<ArrayBuffer> } {
  const now = store.now();
  // Unused challenges older than an hour are noise: forget them as new ones are made.
  store.db.prepare('DELETE FROM challenges WHERE issued_at < ?').run(now - 3_600_000);
  const bytes = new Uint8Array(randomBytes(32));
  const base64url = Buffer.from(bytes).toString('base64url');
  store.db
    .prepare('INSERT INTO challenges (challenge, purpose, invitation_id, user_handle, issued_at) VALUES (?, ?, ?, ?, ?)')
    .run(base64url, purpose, binding?.invitationId ?? null, binding?.userHandle ?? null, now);
  return { base64url, bytes };
}

/**
 * Takes a challenge out (single use). Its binding when it was issued for this purpose within
 * `ttlMs` (`{}` for a sign-in); undefined when unknown, used, expired or issued for something else.
 */
export function consumeChallenge(
  store: AuthStore,
  challenge: string,
  purpose: ChallengePurpose,
  ttlMs: number,
): { invitationId?: string; userHandle?: string } | undefined {
  const row = store.db.prepare('DELETE FROM challenges WHERE challenge = ? RETURNING *').get(challenge) as Row | undefined;
  if (!row || row.purpose !== purpose || Number(row.issued_at) + ttlMs <= store.now()) return undefined;
  return {
    invitationId: row.invitation_id === null ? undefined : String(row.invitation_id),
    userHandle: row.user_handle === null ? undefined : String(row.user_handle),
  };
}
