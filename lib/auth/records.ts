/**
 * The auth store's records (lib/auth/store.ts): members, passkeys, invitations, sessions and audit
 * entries as the code sees them, how SQLite rows become them, invitation codes, and the errors a
 * change can end in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SQLInputValue } from 'node:sqlite';

export type Role = 'viewer' | 'admin';

export interface Member {
  id: string;
  name: string;
  role: Role;
  /** The WebAuthn user handle (random, base64url): what a discoverable passkey names. */
  userHandle: string;
  createdAt: number;
  invitedBy: string | null;
}

export interface StoredPasskey {
  id: string;
  memberId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface Invitation {
  id: string;
  role: Role;
  /** Set when the code adds a passkey to an existing member (the CLI's way back in). */
  memberId: string | null;
  note: string | null;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedBy: string | null;
  revokedAt: number | null;
}

export interface SessionRow {
  id: string;
  memberId: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

/** Why a code cannot be used: unknown, expired, already used or revoked. */
export type InvitationProblem = 'unknown' | 'expired' | 'used' | 'revoked' | 'member_removed';

export class InvitationError extends Error {
  override name = 'InvitationError';
  constructor(readonly problem: InvitationProblem) {
    super(INVITATION_PROBLEMS[problem]);
  }
}

/*
 * Tested by name, not instanceof: the store is shared per process (authStore), and Next.js bundles
 * this module once per route, so an error may come from another bundle's copy of the class.
 */
export const isInvitationError = (error: unknown): error is InvitationError => (error as Error | undefined)?.name === 'InvitationError';
export const isMemberError = (error: unknown): error is MemberError => (error as Error | undefined)?.name === 'MemberError';

export const INVITATION_PROBLEMS: Record<InvitationProblem, string> = {
  unknown: 'This invitation code is not known. Check it, or ask an administrator for a new invitation.',
  expired: 'This invitation has expired. Ask an administrator for a new one.',
  used: 'This invitation was already used: each invitation registers one passkey once. Ask an administrator for a new one.',
  revoked: 'This invitation was revoked. Ask an administrator for a new one.',
  member_removed: 'The member this code was made for has been removed.',
};

/** The hash an invitation code is kept as (codes are random, 100 bits: no salt needed). */
export function codeHash(code: string): string {
  return createHash('sha256').update(normalizeCode(code)).digest('hex');
}

/** Codes are read aloud and typed: case, spaces and dashes do not matter. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z2-7]/g, '');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** 20 base32 characters (100 random bits) in groups of five: `K7QXM-2B4RT-…`. */
export function newCode(): string {
  const bytes = randomBytes(20);
  let out = '';
  for (let i = 0; i < 20; i++) out += BASE32[bytes[i]! & 31];
  return out.match(/.{5}/g)!.join('-');
}

export type Row = Record<string, SQLInputValue>;

export function memberOf(row: Row): Member {
  return {
    id: String(row.id),
    name: String(row.name),
    role: row.role as Role,
    userHandle: String(row.user_handle),
    createdAt: Number(row.created_at),
    invitedBy: row.invited_by === null ? null : String(row.invited_by),
  };
}

export function passkeyOf(row: Row): StoredPasskey {
  return {
    id: String(row.id),
    memberId: String(row.member_id),
    publicKey: new Uint8Array(row.public_key as Uint8Array),
    counter: Number(row.counter),
    transports: JSON.parse(String(row.transports)) as string[],
    deviceType: row.device_type as StoredPasskey['deviceType'],
    backedUp: Number(row.backed_up) === 1,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

export function invitationOf(row: Row): Invitation {
  const nullable = (value: SQLInputValue | undefined) => (value === null || value === undefined ? null : Number(value));
  return {
    id: String(row.id),
    role: row.role as Role,
    memberId: row.member_id === null ? null : String(row.member_id),
    note: row.note === null ? null : String(row.note),
    createdBy: String(row.created_by),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: nullable(row.used_at),
    usedBy: row.used_by === null ? null : String(row.used_by),
    revokedAt: nullable(row.revoked_at),
  };
}

export interface NewPasskey {
  id: string;
  publicKey: Uint8Array;
  counter: number;
  transports: readonly string[];
  deviceType: StoredPasskey['deviceType'];
  backedUp: boolean;
}

export class MemberError extends Error {
  override name = 'MemberError';
  constructor(
    readonly code: 'not_found' | 'last_admin',
    message: string,
  ) {
    super(message);
  }
}
