import { authRoute } from '@/lib/auth/auth-route';
import { joinOptions } from '@/lib/auth/ceremonies';
import { zJoinOptionsBody } from '@/lib/contracts/auth';

export const dynamic = 'force-dynamic';

/** WebAuthn creation options for the passkey an invitation (or the setup code) registers. */
export const POST = authRoute('auth-join-options', zJoinOptionsBody, async (body, auth) =>
  Response.json({ optionsJSON: await joinOptions(auth, body.code, body.name) }, { headers: { 'cache-control': 'no-store' } }),
);
