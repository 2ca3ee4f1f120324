/**
 * The relying party's accounts, passkeys, sessions and recovery flows — in memory, as a reference
 * implementation only (a real RP keeps them in its database). Account ids are opaque (`usr_…`):
 * they are what telemetry sees, never the username.
 */
import { randomBytes } from 'node:crypto';
import type { CredentialDeviceType, WebAuthnCredential } from '@simplewebauthn/server';
import { opaqueId } from './secrets';

export interface Account {
  id: string;
  /** The sign-in name (may be an e-mail address): shown to the authenticator, never to telemetry. */
  username: string;
  passwordHash: string;
  /** WebAuthn user handle (base64url of 32 random bytes), unrelated to the account id. */
  userHandle: string;
  /** scrypt hashes of the unused backup codes. */
  backupCodeHashes: string[];
  createdAt: number;
  upsellDismissedAt?: number;
}

export interface StoredPasskey {
  /** Credential ID, base64url — the same value the telemetry reports. */
  id: string;
  userId: string;
  publicKey: WebAuthnCredential['publicKey'];
  counter: number;
  transports?: WebAuthnCredential['transports'];
  deviceType: CredentialDeviceType;
  backedUp: boolean;
  aaguid: string;
  attachment?: 'platform' | 'cross-platform';
  createdAt: number;
  lastUsedAt?: number;
}

export interface Session {
  id: string;
  userId: string;
  /** `session.id` in telemetry: a separate random id, so the cookie never leaves the RP. */
  telemetrySessionId: string;
  createdAt: number;
}

export type RecoveryMethodOffered = 'email_code' | 'saved_recovery_code';

export interface RecoveryFlow {
  flowId: string;
  userId: string;
  method: RecoveryMethodOffered;
  /** scrypt hash of the e-mailed code (e-mail code recovery only). */
  codeHash?: string;
  expiresAt: number;
  attemptsLeft: number;
  state: 'open' | 'completed' | 'failed';
}

export class UsernameTakenError extends Error {
  override name = 'UsernameTakenError';
}

export class RelyingPartyStore {
  private readonly accounts = new Map<string, Account>();
  private readonly byUsername = new Map<string, string>();
  private readonly byUserHandle = new Map<string, string>();
  private readonly passkeys = new Map<string, StoredPasskey>();
  private readonly sessions = new Map<string, Session>();
  private readonly recoveries = new Map<string, RecoveryFlow>();

  static usernameKey(username: string): string {
    return username.trim().normalize('NFKC').toLowerCase();
  }

  createAccount(input: { username: string; passwordHash: string; backupCodeHashes: string[] }, now = Date.now()): Account {
    const key = RelyingPartyStore.usernameKey(input.username);
    if (this.byUsername.has(key)) throw new UsernameTakenError('This username is taken');
    const account: Account = {
      id: opaqueId('usr'),
      username: input.username.trim(),
      passwordHash: input.passwordHash,
      userHandle: randomBytes(32).toString('base64url'),
      backupCodeHashes: [...input.backupCodeHashes],
      createdAt: now,
    };
    this.accounts.set(account.id, account);
    this.byUsername.set(key, account.id);
    this.byUserHandle.set(account.userHandle, account.id);
    return account;
  }

  account(id: string): Account | undefined {
    return this.accounts.get(id);
  }

  accountByUsername(username: string): Account | undefined {
    const id = this.byUsername.get(RelyingPartyStore.usernameKey(username));
    return id ? this.accounts.get(id) : undefined;
  }

  accountByUserHandle(userHandle: string | undefined): Account | undefined {
    const id = userHandle ? this.byUserHandle.get(userHandle) : undefined;
    return id ? this.accounts.get(id) : undefined;
  }

  addPasskey(passkey: StoredPasskey): void {
    this.passkeys.set(passkey.id, passkey);
  }

  passkey(id: string): StoredPasskey | undefined {
    return this.passkeys.get(id);
  }

  passkeysOf(userId: string): StoredPasskey[] {
    return [...this.passkeys.values()].filter((p) => p.userId === userId).sort((a, b) => a.createdAt - b.createdAt);
  }

  deletePasskey(id: string): StoredPasskey | undefined {
    const passkey = this.passkeys.get(id);
    this.passkeys.delete(id);
    return passkey;
  }

  createSession(userId: string, now = Date.now()): Session {
    const session: Session = { id: randomBytes(32).toString('base64url'), userId, telemetrySessionId: opaqueId('ses'), createdAt: now };
    this.sessions.set(session.id, session);
    return session;
  }

  session(id: string | undefined): Session | undefined {
    return id ? this.sessions.get(id) : undefined;
  }

  deleteSession(id: string): void {
    this.sessions.delete(id);
  }

  startRecovery(flow: RecoveryFlow): void {
    this.recoveries.set(flow.flowId, flow);
  }

  recovery(flowId: string): RecoveryFlow | undefined {
    return this.recoveries.get(flowId);
  }
}
