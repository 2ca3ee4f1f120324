/**
 * Account recovery by e-mail code or by a saved backup code: `account.recovery` started →
 * completed | failed, then `auth.sign_in` with the recovery method. The e-mail is simulated: the
 * code comes back in the response and the page shows it as an inbox. No e-mail address exists in
 * this RP, and none would ever be emitted.
 */
import { eventContext, startSession, type RelyingPartyContext } from '../context';
import { assertSameOrigin, HttpError, readJson, sendJson, type Router } from '../http';
import { zRecoveryCompleteBody, zRecoveryStartBody } from '../schemas';
import { generateEmailCode, hashSecret, normalizeBackupCode, verifySecret } from '../secrets';
import type { RecoveryFlow } from '../store';

export const RECOVERY_TTL_MS = 15 * 60_000;
export const RECOVERY_ATTEMPTS = 3;

const SIGN_IN_METHOD = { email_code: 'email_code', saved_recovery_code: 'recovery_code' } as const;

/** Index of the backup code that matches, or -1. */
async function matchingBackupCode(code: string, hashes: readonly string[]): Promise<number> {
  const normalized = normalizeBackupCode(code);
  for (let i = 0; i < hashes.length; i++) if (await verifySecret(normalized, hashes[i] as string)) return i;
  return -1;
}

export function recoveryRoutes(router: Router, rp: RelyingPartyContext): void {
  router.on('POST', '/api/recovery/start', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    const body = await readJson(req, zRecoveryStartBody);
    if (rp.store.recovery(body.flowId)) throw new HttpError(409, 'This recovery was already started; reload the page');
    const account = rp.store.accountByUsername(body.username);
    // Same answer whether or not the account exists: recovery must not reveal who has an account.
    const answer: { flowId: string; method: string; inbox?: { code: string; note: string } } = { flowId: body.flowId, method: body.method };
    if (account) {
      const flow: RecoveryFlow = {
        flowId: body.flowId,
        userId: account.id,
        method: body.method,
        expiresAt: Date.now() + RECOVERY_TTL_MS,
        attemptsLeft: RECOVERY_ATTEMPTS,
        state: 'open',
      };
      if (body.method === 'email_code') {
        const code = generateEmailCode();
        flow.codeHash = await hashSecret(code);
        answer.inbox = { code, note: 'Simulated e-mail: a real relying party sends this code to the address on file.' };
      }
      rp.store.startRecovery(flow);
      rp.telemetry.recovery(
        { stage: 'started', method: body.method },
        { ...eventContext(req, { userId: account.id, flowId: body.flowId, surface: 'recovery' }), userId: account.id },
      );
    }
    sendJson(res, 202, answer);
  });

  router.on('POST', '/api/recovery/complete', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    const body = await readJson(req, zRecoveryCompleteBody);
    const flow = rp.store.recovery(body.flowId);
    if (!flow || flow.state !== 'open') throw new HttpError(400, 'That code is not valid; start the recovery again');
    const account = rp.store.account(flow.userId);
    if (!account) throw new HttpError(400, 'That code is not valid; start the recovery again');
    const ctx = { ...eventContext(req, { userId: account.id, flowId: flow.flowId, surface: 'recovery' }), userId: account.id };

    const fail = (message: string): never => {
      flow.state = 'failed';
      rp.telemetry.recovery({ stage: 'failed', method: flow.method }, ctx);
      throw new HttpError(400, message, { attemptsLeft: 0 });
    };
    if (Date.now() > flow.expiresAt) fail('This recovery expired; start again');

    let valid = false;
    if (flow.method === 'email_code') {
      valid = flow.codeHash !== undefined && (await verifySecret(body.code.replace(/\s/g, ''), flow.codeHash));
    } else {
      const index = await matchingBackupCode(body.code, account.backupCodeHashes);
      if (index >= 0) {
        account.backupCodeHashes.splice(index, 1); // single use
        valid = true;
      }
    }
    if (!valid) {
      flow.attemptsLeft -= 1;
      if (flow.attemptsLeft <= 0) fail('Too many wrong codes; start the recovery again');
      throw new HttpError(400, `That code is not valid; ${flow.attemptsLeft} attempt(s) left`, { attemptsLeft: flow.attemptsLeft });
    }

    flow.state = 'completed';
    rp.telemetry.recovery({ stage: 'completed', method: flow.method }, ctx);
    const session = startSession(rp, req, res, account);
    rp.telemetry.signIn({ method: SIGN_IN_METHOD[flow.method], result: 'success' }, { ...ctx, sessionId: session.telemetrySessionId });
    sendJson(res, 200, { userId: account.id, next: '/account?recovered=1', backupCodesLeft: account.backupCodeHashes.length });
  });
}
