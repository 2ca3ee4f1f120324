/**
 * The sign-in flow of a session: a passkey (modal, autofill, or a phone over hybrid) when the user
 * has one that works here and wants it, else the fallback method — with the fallback event saying
 * why — and what a failed or passwordless sign-in leads to (lock-out, recovery).
 */
import type { AuthMethod, FallbackReason } from '@passkey-rollout/telemetry';
import { authenticate, prompt } from './ceremonies';
import { MINUTE, SECOND, type CeremonyOutcome, type Journey, type SessionState, type SimCredential } from './journey';
import type { SimDevice } from './population';
import { recovery } from './recovery';
import { maybeTicket } from './support-tickets';

/** The sign-in flow; returns how the user got in, or undefined when they did not. */
export function signIn(j: Journey, t: number, state: SessionState): { at: number; method: AuthMethod } | undefined {
  const { device, stage } = state;
  const flowId = j.id('flw');
  const live = j.live(t);
  const usable = j.usableOn(device, t);
  const stale = j.staleOn(device, t);
  const holder = live.length > 0;
  const passkeyFirst = stage >= 3;
  const autofill = passkeyFirst && device.apiAvailable && device.model.conditionalGet;
  const autofillCeremony = j.rng.uuid();
  let at = t;

  const closeAutofill = (outcome: 'abandoned' | 'superseded', when: number) => {
    if (!autofill) return;
    prompt(j, state, flowId, autofillCeremony, 'authentication', 'login_autofill', 'conditional', when, when - t, outcome);
  };

  // A deleted passkey the authenticator still offers is tried too (→ unknown_credential).
  const wantsPasskey = device.apiAvailable && ((holder && usable.length > 0) || stale.length > 0);
  const tryRate = passkeyFirst ? (j.profile.prefersPassword ? 0.12 : 0.94) : j.profile.prefersPassword ? 0.1 : 0.75;
  if (wantsPasskey && j.rng.chance(tryRate)) {
    let lastFailure: CeremonyOutcome | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const credential = stale.length > 0 && (usable.length === 0 || j.rng.chance(0.3)) ? j.rng.pick(stale) : preferred(j, usable, device);
      const viaAutofill = attempt === 0 && autofill && j.rng.chance(0.6);
      if (!viaAutofill && attempt === 0) closeAutofill('superseded', at + j.rng.between(1, 4) * SECOND);
      const outcome = authenticate(j, at, state, flowId, credential, {
        surface: viaAutofill ? 'login_autofill' : 'login_page',
        mediation: viaAutofill ? 'conditional' : 'optional',
        ceremonyId: viaAutofill ? autofillCeremony : j.rng.uuid(),
      });
      at = outcome.at + j.rng.between(1, 5) * SECOND;
      if (outcome.result === 'success') return signedIn(j, at, state, flowId, 'passkey');
      lastFailure = outcome;
      if (outcome.result === 'failure' && outcome.reason === 'unknown_credential' && j.rng.chance(0.7)) {
        credential.staleOnDevice = false; // the user removed it from the device afterwards
      }
      if (!j.rng.chance(outcome.result === 'cancelled' ? 0.4 : 0.5)) break;
    }
    if (j.rng.chance(0.04)) return signInEnded(j, at, state, flowId, 'passkey', 'abandoned');
    const reason: FallbackReason =
      lastFailure?.result === 'cancelled'
        ? 'prompt_abandoned'
        : lastFailure?.result === 'failure' && lastFailure.side === 'server'
          ? 'verification_failed'
          : 'prompt_error';
    return fallbackSignIn(j, at, state, flowId, reason);
  }

  const phone = holder && usable.length === 0 && passkeyFirst && device.apiAvailable ? j.hybridCredential(device, t) : undefined;
  if (phone && !j.profile.prefersPassword && j.rng.chance(0.45)) {
    closeAutofill('superseded', at + j.rng.between(1, 4) * SECOND);
    const outcome = authenticate(j, at, state, flowId, phone, {
      surface: 'login_page',
      mediation: 'optional',
      ceremonyId: j.rng.uuid(),
      hybrid: true,
    });
    at = outcome.at + j.rng.between(1, 5) * SECOND;
    if (outcome.result === 'success') return signedIn(j, at, state, flowId, 'passkey');
    return fallbackSignIn(j, at, state, flowId, outcome.result === 'cancelled' ? 'prompt_abandoned' : 'prompt_error');
  }

  closeAutofill('abandoned', at + j.rng.between(8, 40) * SECOND);
  if (passkeyFirst && holder) {
    return fallbackSignIn(j, at, state, flowId, device.apiAvailable ? 'user_chose_other_method' : 'api_unavailable');
  }
  if (passkeyFirst) return fallbackSignIn(j, at, state, flowId, 'no_passkey_for_account');
  return methodSignIn(j, at, state, flowId);
}

/** The credential the authenticator offers first: one made on this device, else a synced one. */
function preferred(j: Journey, usable: SimCredential[], device: SimDevice): SimCredential {
  if (j.profile.riskTier === 'high') {
    const key = usable.find((c) => c.provider.reach === 'security_key');
    if (key) return key;
  }
  return usable.find((c) => c.deviceKey === device.key) ?? (usable[0] as SimCredential);
}

function signedIn(j: Journey, at: number, state: SessionState, flowId: string, method: AuthMethod): { at: number; method: AuthMethod } {
  j.events.push({
    kind: 'signIn',
    source: 'api',
    ctx: j.ctx(state.device, at, { sessionId: state.sessionId, flowId, surface: 'login_page' }),
    event: { method, result: 'success' },
  });
  return { at, method };
}

function signInEnded(
  j: Journey,
  at: number,
  state: SessionState,
  flowId: string,
  method: AuthMethod,
  result: 'failure' | 'locked_out' | 'abandoned',
): undefined {
  j.events.push({
    kind: 'signIn',
    source: 'api',
    ctx: j.ctx(state.device, at, { sessionId: state.sessionId, flowId, surface: 'login_page' }),
    event: { method, result },
  });
  return undefined;
}

function fallbackTarget(j: Journey): AuthMethod {
  if (j.passwordRemovedAt !== undefined) return 'email_link';
  return j.profile.fallbackMethod;
}

function fallbackSignIn(
  j: Journey,
  at: number,
  state: SessionState,
  flowId: string,
  reason: FallbackReason,
): { at: number; method: AuthMethod } | undefined {
  const to = fallbackTarget(j);
  const serverSide = reason === 'no_passkey_for_account' || reason === 'verification_failed';
  j.events.push({
    kind: 'fallback',
    source: serverSide ? 'api' : 'web',
    ctx: j.ctx(state.device, at, { sessionId: state.sessionId, flowId, surface: 'login_page' }),
    event: { from: 'passkey', to, reason },
  });
  return methodSignIn(j, at + j.rng.between(1, 3) * SECOND, state, flowId);
}

/** Sign-in with the user's non-passkey method (password, OTP, social, links). */
function methodSignIn(j: Journey, at: number, state: SessionState, flowId: string): { at: number; method: AuthMethod } | undefined {
  const method = fallbackTarget(j);
  const passwordless = j.passwordRemovedAt !== undefined;
  if (passwordless && j.usableOn(state.device, at).length === 0 && j.rng.chance(0.3)) {
    // No passkey here and no password any more: the lock-out the stage 4 gate warns about.
    recovery(j, at + 30 * SECOND, state.device, { cause: 'locked_out' });
    return undefined;
  }
  if (!passwordless && (method === 'password' || method === 'password_otp') && j.rng.chance(0.0011)) {
    recovery(j, at + 20 * SECOND, state.device, { cause: 'forgot_password' });
    return undefined;
  }
  const duration = j.rng.logNormal(method === 'social' ? 9 : 14, 0.5) * SECOND;
  if (j.rng.chance(0.955)) return signedIn(j, at + duration, state, flowId, method);
  if (j.rng.chance(0.75)) return signedIn(j, at + duration * 2.2, state, flowId, method);
  const result = j.rng.weighted<'locked_out' | 'failure' | 'abandoned'>([
    ['locked_out', 0.3],
    ['failure', 0.45],
    ['abandoned', 0.25],
  ]);
  const end = at + duration * 3;
  signInEnded(j, end, state, flowId, method, result);
  if (result === 'locked_out') maybeTicket(j, end, 'account_access', 0.05);
  if (result !== 'abandoned' && j.rng.chance(0.25))
    recovery(j, end + j.rng.between(1, 20) * MINUTE, state.device, { cause: 'forgot_password' });
  return undefined;
}
