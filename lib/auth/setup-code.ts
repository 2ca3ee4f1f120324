/**
 * The way in for the first administrator, and back in for one who lost every passkey: a single-use
 * admin invitation (a "setup code"). At start, while no administrator exists, a fresh one is made
 * and printed (earlier unused setup codes are revoked); `npm run auth -- setup-code` makes one on
 * demand, optionally for an existing member (`--member <name>`: their new passkey joins their old
 * account, which becomes an administrator).
 */
import { appendAudit } from './audit-log';
import type { SignIn } from './sign-in';
import type { Member } from './store';

export interface SetupCode {
  code: string;
  link: string;
  expiresAt: number;
  member?: Member;
}

export function issueSetupCode(auth: SignIn, member?: Member): SetupCode {
  auth.store.revokeSetupCodes();
  const { invitation, code } = auth.store.createInvitation({
    role: 'admin',
    createdBy: 'system',
    ttlMs: auth.config.invitationMs,
    memberId: member?.id,
    note: member ? `setup code for ${member.name}` : 'setup code',
  });
  appendAudit(auth.store, 'system', 'setup_code_issued', invitation.id, {
    member: member?.name ?? null,
    expiresAt: new Date(invitation.expiresAt).toISOString(),
  });
  return { code, link: `${auth.config.origin}/join#code=${encodeURIComponent(code)}`, expiresAt: invitation.expiresAt, member };
}

export function setupCodeMessage(setup: SetupCode): string {
  return [
    setup.member
      ? `[sign-in] A setup code for ${setup.member.name}: their new passkey joins their account as an administrator.`
      : '[sign-in] No administrator yet. The first one joins with this single-use setup code:',
    `[sign-in]   ${setup.link}`,
    `[sign-in]   (or open /join and enter ${setup.code}) — valid until ${new Date(setup.expiresAt).toISOString()}.`,
  ].join('\n');
}

/** At start: a setup code while nobody can administer the dashboard. */
export function setupCodeAtStart(auth: SignIn): SetupCode | undefined {
  if (auth.store.adminCount() > 0) return undefined;
  return issueSetupCode(auth);
}
