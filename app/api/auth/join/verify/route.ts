import { audit } from '@/lib/auth/audit';
import { authRoute } from '@/lib/auth/auth-route';
import { verifyJoin } from '@/lib/auth/ceremonies';
import { sessionCookie } from '@/lib/auth/session';
import { zJoinVerifyBody, type SignedInResponse } from '@/lib/contracts/auth';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';

export const dynamic = 'force-dynamic';

/** Verifies the new passkey and uses the invitation (once); signed in on success. */
export const POST = authRoute('auth-join-verify', zJoinVerifyBody, async (body, auth) => {
  const { member, session, invitationId } = await verifyJoin(
    auth,
    body.code,
    body.name,
    body.response as unknown as RegistrationResponseJSON,
  );
  audit(`member:${member.name}`, 'invitation_used', invitationId, { memberId: member.id, role: member.role });
  audit(`member:${member.name}`, 'sign_in', member.id, { method: 'passkey', registered: true });
  const answer: SignedInResponse = { member: { name: member.name, role: member.role } };
  return Response.json(answer, {
    status: 201,
    headers: { 'cache-control': 'no-store', 'set-cookie': sessionCookie(auth.config, auth.store, session) },
  });
});
