/**
 * Single-use WebAuthn challenges, kept in memory.
 *
 * Why a module of its own: the challenge is the replay defence of every ceremony, and its failure
 * modes are distinct failure reasons on the dashboard. `consume` is handed to
 * @simplewebauthn/server as the `expectedChallenge` callback: an expired challenge throws
 * `ChallengeExpiredError`, a second use `ChallengeReusedError`, a challenge this server never
 * issued (or issued for another purpose or account) returns false (→ `challenge_mismatch`).
 */
import { randomBytes } from 'node:crypto';
import { ChallengeExpiredError, ChallengeReusedError } from '@passkey-rollout/telemetry/server';

export type ChallengePurpose = 'registration' | 'authentication';

interface IssuedChallenge {
  purpose: ChallengePurpose;
  /** The account a registration challenge was issued to; none for a discoverable sign-in. */
  userId?: string;
  issuedAt: number;
  consumedAt?: number;
}

export interface ChallengeStoreOptions {
  ttlMs?: number;
  now?: () => number;
}

export const DEFAULT_CHALLENGE_TTL_MS = 5 * 60_000;

export class ChallengeStore {
  private readonly issued = new Map<string, IssuedChallenge>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: ChallengeStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CHALLENGE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * A fresh random challenge (32 bytes), remembered for this purpose and account. Hand `bytes` to
   * generate*Options (a string would be UTF-8 encoded again); the browser echoes `base64url`.
   */
  issue(purpose: ChallengePurpose, userId?: string): { base64url: string; bytes: Uint8Array<ArrayBuffer> } {
    this.sweep();
    const bytes = new Uint8Array(randomBytes(32));
    const base64url = Buffer.from(bytes).toString('base64url');
    this.issued.set(base64url, { purpose, userId, issuedAt: this.now() });
    return { base64url, bytes };
  }

  /**
   * Marks the challenge used. True when it was issued for this purpose (and account); false when
   * it is unknown or bound elsewhere; throws when it expired or was already used.
   */
  consume(challenge: string, purpose: ChallengePurpose, userId?: string): boolean {
    const entry = this.issued.get(challenge);
    if (!entry || entry.purpose !== purpose) return false;
    if (entry.userId !== undefined && entry.userId !== userId) return false;
    if (entry.consumedAt !== undefined) throw new ChallengeReusedError();
    entry.consumedAt = this.now();
    if (entry.issuedAt + this.ttlMs < this.now()) throw new ChallengeExpiredError();
    return true;
  }

  get size(): number {
    return this.issued.size;
  }

  /** Forget challenges well past their lifetime (kept for one more TTL to recognise reuse). */
  private sweep(): void {
    const horizon = this.now() - 2 * this.ttlMs;
    for (const [challenge, entry] of this.issued) if (entry.issuedAt < horizon) this.issued.delete(challenge);
  }
}
