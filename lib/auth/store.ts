/**
 * The dashboard's people (DESIGN.md section 10; docs/security.md "People"): members and their
 * passkeys, invitations, sessions, pending WebAuthn challenges and the audit log, in a small
 * transactional store beside the analytics data — SQLite (`node:sqlite`) in `DATA_DIR/auth.sqlite`.
 *
 * Why not ClickHouse: an invitation must be usable exactly once even when two requests race, and a
 * revoked session must stop at once; both are one conditional UPDATE in SQLite and have no exact
 * equivalent on the embedded engine. The file is small (people, not events) and is backed up with
 * DATA_DIR (docs/operations.md).
 *
 * Secrets are never stored: an invitation keeps the SHA-256 of its code, a session only its id (the
 * cookie is signed with the store's key, lib/auth/session.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  codeHash,
  InvitationError,
  invitationOf,
  memberOf,
  MemberError,
  newCode,
  passkeyOf,
  type Invitation,
  type Member,
  type NewPasskey,
  type Role,
  type Row,
  type SessionRow,
  type StoredPasskey,
} from './records';

export * from './records';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
  user_handle TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, invited_by TEXT, removed_at INTEGER);
CREATE TABLE IF NOT EXISTS passkeys (
  id TEXT PRIMARY KEY, member_id TEXT NOT NULL REFERENCES members (id), public_key BLOB NOT NULL,
  counter INTEGER NOT NULL, transports TEXT NOT NULL, device_type TEXT NOT NULL, backed_up INTEGER NOT NULL,
  created_at INTEGER NOT NULL, last_used_at INTEGER);
CREATE TABLE IF NOT EXISTS invitations (
  id TEXT PRIMARY KEY, code_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
  member_id TEXT, note TEXT, created_by TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  used_at INTEGER, used_by TEXT, revoked_at INTEGER);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, member_id TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER);
CREATE TABLE IF NOT EXISTS challenges (
  challenge TEXT PRIMARY KEY, purpose TEXT NOT NULL, invitation_id TEXT, user_handle TEXT, issued_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  target TEXT, detail TEXT);
CREATE INDEX IF NOT EXISTS passkeys_member ON passkeys (member_id);
CREATE INDEX IF NOT EXISTS sessions_member ON sessions (member_id);
`;

export class AuthStore {
  readonly db: DatabaseSync;

  constructor(
    readonly file: string,
    /** The clock (tests move it). */
    readonly now: () => number = Date.now,
  ) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    // WAL: readers never wait for the writer; the CLI (another process) may write beside the server.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** Runs `work` in one write transaction (BEGIN IMMEDIATE: no other writer in between). */
  private transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private key: Buffer | undefined;

  /**
   * The key sessions are signed with: 256 random bits made on first use, kept in the store, read
   * once per process (every signed-in request verifies with it).
   */
  sessionKey(): Buffer {
    if (this.key) return this.key;
    this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('session_key', randomBytes(32).toString('hex'));
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('session_key') as Row;
    this.key = Buffer.from(String(row.value), 'hex');
    return this.key;
  }

  // --- members and passkeys ----------------------------------------------------------------

  member(id: string): Member | undefined {
    const row = this.db.prepare('SELECT * FROM members WHERE id = ? AND removed_at IS NULL').get(id) as Row | undefined;
    return row ? memberOf(row) : undefined;
  }

  memberByName(name: string): Member | undefined {
    const row = this.db
      .prepare('SELECT * FROM members WHERE lower(name) = lower(?) AND removed_at IS NULL ORDER BY created_at LIMIT 1')
      .get(name) as Row | undefined;
    return row ? memberOf(row) : undefined;
  }

  members(): Member[] {
    return (this.db.prepare('SELECT * FROM members WHERE removed_at IS NULL ORDER BY created_at').all() as Row[]).map(memberOf);
  }

  adminCount(): number {
    const row = this.db.prepare("SELECT count(*) AS n FROM members WHERE role = 'admin' AND removed_at IS NULL").get() as Row;
    return Number(row.n);
  }

  passkey(id: string): StoredPasskey | undefined {
    const row = this.db
      .prepare('SELECT p.* FROM passkeys p JOIN members m ON m.id = p.member_id WHERE p.id = ? AND m.removed_at IS NULL')
      .get(id) as Row | undefined;
    return row ? passkeyOf(row) : undefined;
  }

  passkeysOf(memberId: string): StoredPasskey[] {
    return (this.db.prepare('SELECT * FROM passkeys WHERE member_id = ? ORDER BY created_at').all(memberId) as Row[]).map(passkeyOf);
  }

  /** Every current member's passkeys, by member id (one read for the Members page). */
  passkeysByMember(): Map<string, StoredPasskey[]> {
    const rows = this.db
      .prepare('SELECT p.* FROM passkeys p JOIN members m ON m.id = p.member_id WHERE m.removed_at IS NULL ORDER BY p.created_at')
      .all() as Row[];
    const byMember = new Map<string, StoredPasskey[]>();
    for (const passkey of rows.map(passkeyOf)) byMember.set(passkey.memberId, [...(byMember.get(passkey.memberId) ?? []), passkey]);
    return byMember;
  }

  /** After a verified sign-in: the authenticator's new signature counter and the time. */
  passkeyUsed(id: string, counter: number, backedUp: boolean): void {
    this.db
      .prepare('UPDATE passkeys SET counter = ?, backed_up = ?, last_used_at = ? WHERE id = ?')
      .run(counter, backedUp ? 1 : 0, this.now(), id);
  }

  /**
   * Removes a member: their passkeys are deleted and every session ends at once. The last
   * administrator cannot be removed (nobody could invite again but the CLI).
   */
  removeMember(id: string): { member: Member; passkeys: number; sessions: number } {
    return this.transaction(() => {
      const member = this.member(id);
      if (!member) throw new MemberError('not_found', 'No such member.');
      if (member.role === 'admin' && this.adminCount() <= 1)
        throw new MemberError('last_admin', 'The last administrator cannot be removed: invite another administrator first.');
      const now = this.now();
      this.db.prepare('UPDATE members SET removed_at = ? WHERE id = ?').run(now, id);
      const passkeys = this.db.prepare('DELETE FROM passkeys WHERE member_id = ?').run(id).changes;
      const sessions = this.revokeSessionsOfMember(id, now);
      return { member, passkeys: Number(passkeys), sessions };
    });
  }

  /** Changes a member's role; their sessions end, so the new role applies from the next sign-in. */
  setRole(id: string, role: Role): { member: Member; sessions: number } {
    return this.transaction(() => {
      const member = this.member(id);
      if (!member) throw new MemberError('not_found', 'No such member.');
      if (member.role === 'admin' && role !== 'admin' && this.adminCount() <= 1)
        throw new MemberError('last_admin', 'The last administrator cannot become a viewer: make someone else an administrator first.');
      this.db.prepare('UPDATE members SET role = ? WHERE id = ?').run(role, id);
      return { member: { ...member, role }, sessions: member.role === role ? 0 : this.revokeSessionsOfMember(id, this.now()) };
    });
  }

  /** Removes one passkey of a member (a lost device). */
  removePasskey(memberId: string, passkeyId: string): boolean {
    return Number(this.db.prepare('DELETE FROM passkeys WHERE id = ? AND member_id = ?').run(passkeyId, memberId).changes) === 1;
  }

  // --- invitations -------------------------------------------------------------------------

  /** A new single-use code; only its hash is kept, so the code is shown once, here. */
  createInvitation(options: { role: Role; createdBy: string; ttlMs: number; memberId?: string; note?: string }): {
    invitation: Invitation;
    code: string;
  } {
    const code = newCode();
    const now = this.now();
    const id = randomUUID();
    this.db
      .prepare(
        'INSERT INTO invitations (id, code_hash, role, member_id, note, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, codeHash(code), options.role, options.memberId ?? null, options.note ?? null, options.createdBy, now, now + options.ttlMs);
    return { invitation: this.invitation(id)!, code };
  }

  invitation(id: string): Invitation | undefined {
    const row = this.db.prepare('SELECT * FROM invitations WHERE id = ?').get(id) as Row | undefined;
    return row ? invitationOf(row) : undefined;
  }

  /** Invitations newest first (used, revoked and expired ones too: they are part of the record). */
  invitations(limit = 200): Invitation[] {
    return (this.db.prepare('SELECT * FROM invitations ORDER BY created_at DESC LIMIT ?').all(limit) as Row[]).map(invitationOf);
  }

  /** The invitation a code belongs to if it can still be used; throws InvitationError otherwise. */
  usableInvitation(code: string): Invitation {
    const row = this.db.prepare('SELECT * FROM invitations WHERE code_hash = ?').get(codeHash(code)) as Row | undefined;
    if (!row) throw new InvitationError('unknown');
    const invitation = invitationOf(row);
    if (invitation.revokedAt !== null) throw new InvitationError('revoked');
    if (invitation.usedAt !== null) throw new InvitationError('used');
    if (invitation.expiresAt <= this.now()) throw new InvitationError('expired');
    if (invitation.memberId !== null && !this.member(invitation.memberId)) throw new InvitationError('member_removed');
    return invitation;
  }

  revokeInvitation(id: string): boolean {
    return (
      Number(
        this.db.prepare('UPDATE invitations SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL').run(this.now(), id)
          .changes,
      ) === 1
    );
  }

  /** Revokes every unused setup code (made by `system`), before a new one is printed. */
  revokeSetupCodes(): number {
    return Number(
      this.db
        .prepare("UPDATE invitations SET revoked_at = ? WHERE created_by = 'system' AND used_at IS NULL AND revoked_at IS NULL")
        .run(this.now()).changes,
    );
  }

  /**
   * Uses an invitation: marks it used and creates the member (or, for a code made for an existing
   * member, adds the passkey to them) in one transaction. The conditional UPDATE is what makes the
   * code single-use: of two racing requests exactly one changes the row; the other gets `used`.
   */
  redeemInvitation(invitationId: string, newMember: { name: string; userHandle: string }, passkey: NewPasskey): Member {
    return this.transaction(() => {
      const now = this.now();
      const changed = this.db
        .prepare('UPDATE invitations SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?')
        .run(now, invitationId, now).changes;
      const invitation = this.invitation(invitationId);
      if (!invitation) throw new InvitationError('unknown');
      if (Number(changed) !== 1)
        throw new InvitationError(invitation.revokedAt !== null ? 'revoked' : invitation.usedAt !== null ? 'used' : 'expired');
      let member: Member;
      if (invitation.memberId !== null) {
        const existing = this.member(invitation.memberId);
        if (!existing) throw new InvitationError('member_removed');
        if (invitation.role === 'admin' && existing.role !== 'admin')
          this.db.prepare("UPDATE members SET role = 'admin' WHERE id = ?").run(existing.id);
        member = { ...existing, role: invitation.role === 'admin' ? 'admin' : existing.role };
      } else {
        member = {
          id: randomUUID(),
          name: newMember.name,
          role: invitation.role,
          userHandle: newMember.userHandle,
          createdAt: now,
          invitedBy: invitation.createdBy,
        };
        this.db
          .prepare('INSERT INTO members (id, name, role, user_handle, created_at, invited_by) VALUES (?, ?, ?, ?, ?, ?)')
          .run(member.id, member.name, member.role, member.userHandle, member.createdAt, member.invitedBy);
      }
      this.db.prepare('UPDATE invitations SET used_by = ? WHERE id = ?').run(member.id, invitationId);
      this.db
        .prepare(
          'INSERT INTO passkeys (id, member_id, public_key, counter, transports, device_type, backed_up, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          passkey.id,
          member.id,
          passkey.publicKey,
          passkey.counter,
          JSON.stringify(passkey.transports),
          passkey.deviceType,
          passkey.backedUp ? 1 : 0,
          now,
        );
      return member;
    });
  }

  // --- sessions ----------------------------------------------------------------------------

  createSession(memberId: string, ttlMs: number): SessionRow {
    const now = this.now();
    const session: SessionRow = {
      id: randomBytes(18).toString('base64url'),
      memberId,
      createdAt: now,
      expiresAt: now + ttlMs,
      revokedAt: null,
    };
    this.db
      .prepare('INSERT INTO sessions (id, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(session.id, memberId, now, session.expiresAt);
    return session;
  }

  /** The live session and its member: not revoked, not expired, member not removed. */
  liveSession(id: string): { session: SessionRow; member: Member } | undefined {
    const row = this.db
      .prepare(
        `SELECT s.id AS s_id, s.member_id, s.created_at AS s_created_at, s.expires_at, s.revoked_at, m.*
         FROM sessions s JOIN members m ON m.id = s.member_id
         WHERE s.id = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND m.removed_at IS NULL`,
      )
      .get(id, this.now()) as Row | undefined;
    if (!row) return undefined;
    return {
      session: {
        id: String(row.s_id),
        memberId: String(row.member_id),
        createdAt: Number(row.s_created_at),
        expiresAt: Number(row.expires_at),
        revokedAt: null,
      },
      member: memberOf(row),
    };
  }

  /** Live sessions, newest first (all members, or one). */
  liveSessions(memberId?: string): SessionRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM sessions WHERE revoked_at IS NULL AND expires_at > ? ${memberId ? 'AND member_id = ?' : ''} ORDER BY created_at DESC LIMIT 500`,
      )
      .all(...(memberId ? [this.now(), memberId] : [this.now()])) as Row[];
    return rows.map((row) => ({
      id: String(row.id),
      memberId: String(row.member_id),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      revokedAt: null,
    }));
  }

  revokeSession(id: string): boolean {
    return (
      Number(this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.now(), id).changes) === 1
    );
  }

  revokeSessionsOfMember(memberId: string, at = this.now()): number {
    return Number(
      this.db
        .prepare('UPDATE sessions SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL AND expires_at > ?')
        .run(at, memberId, at).changes,
    );
  }
}

const STORES = Symbol.for('passkey-analytics.auth-stores');
type GlobalWithStores = typeof globalThis & { [STORES]?: Map<string, AuthStore> };

/** The store of a data directory, opened once per process. */
export function authStore(dataDirectory: string): AuthStore {
  const g = globalThis as GlobalWithStores;
  const stores = (g[STORES] ??= new Map());
  const file = path.join(dataDirectory, 'auth.sqlite');
  let store = stores.get(file);
  if (!store) {
    store = new AuthStore(file);
    stores.set(file, store);
  }
  return store;
}
