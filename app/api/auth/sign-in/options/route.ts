import { authRoute } from '@/lib/auth/auth-route';
import { signInOptions } from '@/lib/auth/ceremonies';
import { zEmptyBody } from '@/lib/contracts/auth';

export const dynamic = 'force-dynamic';

/** WebAuthn request options for a discoverable passkey sign-in (a single-use challenge). */
export const POST = authRoute('auth-sign-in-options', zEmptyBody, async (_body, auth) =>
  Response.json({ optionsJSON: await signInOptions(auth) }, { headers: { 'cache-control': 'no-store' } }),
);
