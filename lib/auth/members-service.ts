/**
 * Member management for administrators (GET /api/v1/members and its writes): invitations, roles,
 * removal and sessions, each recorded in the audit log.
 */
import 'server-only';
import type { z } from 'zod';
import { actorOf, type Principal } from '../api/auth';
import { ApiError } from '../api/errors';
import type { zInvitation, zInvitationCreated, zMemberChange, zMembersResponse } from '../contracts/members';
import { audit } from './audit';
import { signIn, type SignIn } from './sign-in';
import { isMemberError, type Invitation, type Role } from './store';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

function requireSignIn(): SignIn {
  const auth = signIn();
  if (!auth)
    throw new ApiError(
      409,
      'sign_in_not_configured',
      'Dashboard sign-in is off: set PUBLIC_URL to invite people (docs/security.md, "People").',
    );
  return auth;
}

function invitationView(invitation: Invitation, now = Date.now()): z.input<typeof zInvitation> {
  const state =
    invitation.usedAt !== null ? 'used' : invitation.revokedAt !== null ? 'revoked' : invitation.expiresAt <= now ? 'expired' : 'pending';
  return {
    id: invitation.id,
    role: invitation.role,
    state,
    memberId: invitation.memberId,
    note: invitation.note,
    createdBy: invitation.createdBy,
    createdAt: iso(invitation.createdAt),
    expiresAt: iso(invitation.expiresAt),
    usedAt: isoOrNull(invitation.usedAt),
  };
}

export function listMembers(principal: Principal): z.input<typeof zMembersResponse> {
  const auth = signIn();
  if (!auth) return { signIn: false, you: null, members: [], invitations: [] };
  const sessions = new Map<string, number>();
  for (const session of auth.store.liveSessions()) sessions.set(session.memberId, (sessions.get(session.memberId) ?? 0) + 1);
  const passkeys = auth.store.passkeysByMember();
  return {
    signIn: true,
    you: principal.kind === 'session' ? principal.memberId : null,
    members: auth.store.members().map((member) => ({
      id: member.id,
      name: member.name,
      role: member.role,
      createdAt: iso(member.createdAt),
      invitedBy: member.invitedBy,
      passkeys: (passkeys.get(member.id) ?? []).map((p) => ({
        id: p.id.slice(0, 12),
        deviceType: p.deviceType,
        backedUp: p.backedUp,
        createdAt: iso(p.createdAt),
        lastUsedAt: isoOrNull(p.lastUsedAt),
      })),
      sessions: sessions.get(member.id) ?? 0,
    })),
    invitations: auth.store.invitations().map((invitation) => invitationView(invitation)),
  };
}

export function invite(principal: Principal, role: Role, note: string | undefined, memberId?: string): z.input<typeof zInvitationCreated> {
  const auth = requireSignIn();
  const member = memberId === undefined ? undefined : auth.store.member(memberId);
  if (memberId !== undefined && !member) throw new ApiError(404, 'not_found', 'No such member.');
  const { invitation, code } = auth.store.createInvitation({
    role,
    createdBy: actorOf(principal),
    ttlMs: auth.config.invitationMs,
    note: note ?? (member ? `a passkey for ${member.name}` : undefined),
    memberId,
  });
  audit(principal, 'invitation_created', invitation.id, {
    role,
    note: note ?? null,
    member: member?.name ?? null,
    expiresAt: iso(invitation.expiresAt),
  });
  return { invitation: invitationView(invitation), code, link: joinLink(auth, code) };
}

/** Where an invitation is used: the code in the fragment, which browsers never send to a server. */
export function joinLink(auth: SignIn, code: string): string {
  return `${auth.config.origin}/join#code=${encodeURIComponent(code)}`;
}

export function revokeInvitation(principal: Principal, id: string): { revoked: boolean } {
  const auth = requireSignIn();
  const revoked = auth.store.revokeInvitation(id);
  if (!revoked && !auth.store.invitation(id)) throw new ApiError(404, 'not_found', 'No such invitation.');
  if (revoked) audit(principal, 'invitation_revoked', id);
  return { revoked };
}

function memberChange(error: unknown): never {
  if (isMemberError(error)) throw new ApiError(error.code === 'not_found' ? 404 : 409, error.code, error.message);
  throw error;
}

export function removeMember(principal: Principal, id: string): z.input<typeof zMemberChange> {
  const auth = requireSignIn();
  try {
    const { member, passkeys, sessions } = auth.store.removeMember(id);
    audit(principal, 'member_removed', member.id, { name: member.name, role: member.role, passkeys, sessions });
    return { member: { id: member.id, name: member.name, role: member.role }, sessionsEnded: sessions, passkeysRemoved: passkeys };
  } catch (error) {
    memberChange(error);
  }
}

export function changeRole(principal: Principal, id: string, role: Role): z.input<typeof zMemberChange> {
  const auth = requireSignIn();
  try {
    const before = auth.store.member(id)?.role;
    const { member, sessions } = auth.store.setRole(id, role);
    if (before !== role) audit(principal, 'member_role_changed', member.id, { name: member.name, from: before, to: role, sessions });
    return { member: { id: member.id, name: member.name, role: member.role }, sessionsEnded: sessions, passkeysRemoved: 0 };
  } catch (error) {
    memberChange(error);
  }
}

export function revokeSessions(principal: Principal, id: string): z.input<typeof zMemberChange> {
  const auth = requireSignIn();
  const member = auth.store.member(id);
  if (!member) throw new ApiError(404, 'not_found', 'No such member.');
  const sessions = auth.store.revokeSessionsOfMember(id);
  audit(principal, 'sessions_revoked', member.id, { name: member.name, sessions });
  return { member: { id: member.id, name: member.name, role: member.role }, sessionsEnded: sessions, passkeysRemoved: 0 };
}
