/**
 * Sign-up, password sign-in (with the passkey → password fallback), sign-out, the account view and
 * backup codes. Server events: `auth.fallback`, `auth.sign_in` (password), `feature_flag.evaluation`.
 */
import { endSession, eventContext, nextAfterSignIn, requireSession, startSession, type RelyingPartyContext } from '../context';
import { assertSameOrigin, HttpError, readJson, sendJson, type Router } from '../http';
import { zPasswordSignInBody, zSignUpBody, zUpsellBody } from '../schemas';
import { generateBackupCode, hashSecret, verifySecret } from '../secrets';
import { UsernameTakenError } from '../store';

export const BACKUP_CODE_COUNT = 8;

export async function newBackupCodes(): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, generateBackupCode);
  return { codes, hashes: await Promise.all(codes.map(hashSecret)) };
}

export function accountRoutes(router: Router, rp: RelyingPartyContext): void {
  router.on('POST', '/api/signup', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    const body = await readJson(req, zSignUpBody);
    const [passwordHash, backup] = await Promise.all([hashSecret(body.password), newBackupCodes()]);
    let account;
    try {
      account = rp.store.createAccount({ username: body.username, passwordHash, backupCodeHashes: backup.hashes });
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new HttpError(409, 'This username is taken; choose another or sign in');
      throw error;
    }
    startSession(rp, req, res, account);
    sendJson(res, 201, { userId: account.id, backupCodes: backup.codes, next: nextAfterSignIn(rp, account) });
  });

  router.on('POST', '/api/signin/password', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    const body = await readJson(req, zPasswordSignInBody);
    const account = rp.store.accountByUsername(body.username);
    let ok = false;
    if (account) ok = await verifySecret(body.password, account.passwordHash);
    else await hashSecret(body.password); // same work for an unknown username: timing does not reveal accounts
    const ctx = eventContext(req, { userId: account?.id, flowId: body.flowId, surface: 'login_page' });
    if (!account || !ok) {
      rp.telemetry.signIn({ method: 'password', result: 'failure' }, ctx);
      throw new HttpError(401, 'Wrong username or password');
    }
    if (body.fallbackReason) rp.telemetry.fallback({ from: 'passkey', to: 'password', reason: body.fallbackReason }, ctx);
    const session = startSession(rp, req, res, account);
    rp.telemetry.signIn({ method: 'password', result: 'success' }, { ...ctx, sessionId: session.telemetrySessionId });
    sendJson(res, 200, { userId: account.id, next: nextAfterSignIn(rp, account) });
  });

  router.on('POST', '/api/signout', (req, res) => {
    assertSameOrigin(req, rp.origin());
    endSession(rp, req, res);
    sendJson(res, 200, { next: '/' });
  });

  router.on('GET', '/api/account', (req, res) => {
    const { account } = requireSession(rp, req);
    sendJson(res, 200, accountView(rp, account.id));
  });

  router.on('POST', '/api/backup-codes', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    const { account } = requireSession(rp, req);
    const backup = await newBackupCodes();
    account.backupCodeHashes = backup.hashes;
    sendJson(res, 201, { backupCodes: backup.codes });
  });

  // The upsell outcomes are browser events; the server only remembers "Not now" to snooze it.
  router.on('POST', '/api/upsell', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    const { account } = requireSession(rp, req);
    await readJson(req, zUpsellBody);
    account.upsellDismissedAt = Date.now();
    sendJson(res, 200, { next: '/account' });
  });
}

export interface AccountView {
  userId: string;
  username: string;
  backupCodesLeft: number;
  passkeys: {
    id: string;
    kind: 'synced' | 'device_bound';
    backedUp: boolean;
    aaguid: string;
    transports: string[];
    createdAt: string;
    lastUsedAt: string | null;
  }[];
}

export function accountView(rp: RelyingPartyContext, userId: string): AccountView {
  const account = rp.store.account(userId);
  if (!account) throw new HttpError(404, 'No such account');
  return {
    userId: account.id,
    username: account.username,
    backupCodesLeft: account.backupCodeHashes.length,
    passkeys: rp.store.passkeysOf(account.id).map((p) => ({
      id: p.id,
      kind: p.deviceType === 'multiDevice' ? 'synced' : 'device_bound',
      backedUp: p.backedUp,
      aaguid: p.aaguid,
      transports: p.transports ?? [],
      createdAt: new Date(p.createdAt).toISOString(),
      lastUsedAt: p.lastUsedAt ? new Date(p.lastUsedAt).toISOString() : null,
    })),
  };
}
