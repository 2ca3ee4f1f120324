import { audit } from '@/lib/auth/audit';
import { authRoute } from '@/lib/auth/auth-route';
import { verifySignIn } from '@/lib/auth/ceremonies';
import { sessionCookie } from '@/lib/auth/session';
import { zSignInVerifyBody, type SignedInResponse } from '@/lib/contracts/auth';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';

export const dynamic = 'force-dynamic';

/** Verifies the passkey assertion; a session cookie on success. */
export const POST = authRoute('auth-sign-in-verify', zSignInVerifyBody, async (body, auth) => {
  const { member, session } = await verifySignIn(auth, body.response as unknown as AuthenticationResponseJSON);
  audit(`member:${member.name}`, 'sign_in', member.id, { method: 'passkey' });
  const answer: SignedInResponse = { member: { name: member.name, role: member.role } };
  return Response.json(answer, { headers: { 'cache-control': 'no-store', 'set-cookie': sessionCookie(auth.config, auth.store, session) } });
});
