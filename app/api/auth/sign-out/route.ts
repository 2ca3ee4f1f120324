import { audit } from '@/lib/auth/audit';
import { authRoute } from '@/lib/auth/auth-route';
import { clearedSessionCookie, sessionOf } from '@/lib/auth/session';
import { zEmptyBody } from '@/lib/contracts/auth';

export const dynamic = 'force-dynamic';

/** Ends the caller's session (revoked in the store, so a copied cookie stops working too). */
export const POST = authRoute('auth-sign-out', zEmptyBody, async (_body, auth, request) => {
  const signedIn = sessionOf(request.headers.get('cookie'), auth.config, auth.store);
  if (signedIn) {
    auth.store.revokeSession(signedIn.session.id);
    audit(`member:${signedIn.member.name}`, 'sign_out', signedIn.member.id);
  }
  return Response.json(
    { signedOut: signedIn !== undefined },
    { headers: { 'cache-control': 'no-store', 'set-cookie': clearedSessionCookie(auth.config) } },
  );
});
