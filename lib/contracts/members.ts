/**
 * The dashboard's people (lib/auth/store.ts; docs/security.md "People"): GET /api/v1/members, the
 * member-management writes, and GET /api/v1/audit. All need an administrator (or an admin token).
 */
import { z } from 'zod';

export const zRole = z.enum(['viewer', 'admin']);

const zPasskey = z.object({
  /** The credential id's first 12 characters: enough to tell passkeys apart, not a handle to them. */
  id: z.string(),
  /** `multiDevice` (synced) or `singleDevice` (device-bound). */
  deviceType: z.enum(['singleDevice', 'multiDevice']),
  backedUp: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export const zMember = z.object({
  id: z.string(),
  name: z.string(),
  role: zRole,
  createdAt: z.string(),
  invitedBy: z.string().nullable(),
  passkeys: z.array(zPasskey),
  /** Live sessions (signed in, not expired, not revoked). */
  sessions: z.number().int().nonnegative(),
});

export const zInvitationState = z.enum(['pending', 'used', 'revoked', 'expired']);

export const zInvitation = z.object({
  id: z.string(),
  role: zRole,
  state: zInvitationState,
  /** Set for a code that adds a passkey to an existing member (the CLI's way back in). */
  memberId: z.string().nullable(),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
});

export const zMembersQuery = z.object({});
export const zMembersResponse = z.object({
  /** False on an install without PUBLIC_URL: nobody signs in, the lists are empty. */
  signIn: z.boolean(),
  /** The caller, when a member. */
  you: z.string().nullable(),
  members: z.array(zMember),
  invitations: z.array(zInvitation),
});
export type MembersResponse = z.infer<typeof zMembersResponse>;

export const zInvitationBody = z.strictObject({
  role: zRole,
  note: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  /** A link for an existing member to add a passkey (a second device, a lost one); `role` then applies to them. */
  memberId: z.string().trim().min(1).max(100).optional(),
});
export const zInvitationCreated = z.object({
  invitation: zInvitation,
  /** Shown once: only its hash is kept. */
  code: z.string(),
  /** PUBLIC_URL/join#code=…: the code travels in the fragment, so it never reaches a server log or a Referer. */
  link: z.string(),
});

export const zIdBody = z.strictObject({ id: z.string().trim().min(1, 'is required').max(100) });
export const zRoleBody = z.strictObject({ id: z.string().trim().min(1, 'is required').max(100), role: zRole });
export const zMemberChange = z.object({
  member: z.object({ id: z.string(), name: z.string(), role: zRole }),
  /** Sessions ended by the change (a removed member or a changed role signs in again). */
  sessionsEnded: z.number().int().nonnegative(),
  passkeysRemoved: z.number().int().nonnegative(),
});
export const zRevoked = z.object({ revoked: z.boolean() });

export const zAuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  /** Entries before this sequence number (paging back). */
  before: z.coerce.number().int().min(1).optional(),
  action: z
    .string()
    .trim()
    .regex(/^[a-z_.]{1,64}$/, 'must be an action name such as sign_in or stage_decision')
    .optional(),
});
export const zAuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export const zAuditResponse = z.object({ entries: z.array(zAuditEntry) });
export type AuditResponse = z.infer<typeof zAuditResponse>;
