/**
 * WebAuthn ceremonies as a relying party sees them: the browser prompt (cancelled, a browser error,
 * or a response), then the server's verification, for authentication and for registration (with a
 * retry). Failure rates and reasons come from the device's failure profile (./failure-profiles.ts).
 */
import type { ClientFailureReason, Mediation, PromptOutcome, ServerFailureReason, Surface } from '@passkey-rollout/telemetry';
import { ANDROID_APP_ORIGIN, ORIGIN, PROVIDERS, providerChoices, RP_ID, type Provider, type ProviderKey } from './catalog';
import { ERROR_TYPE_OF_REASON, failureProfile } from './failure-profiles';
import { CHALLENGE_TIMEOUT, SECOND, type CeremonyOutcome, type Journey, type SessionState, type SimCredential } from './journey';
import type { SimDevice } from './population';
import type { Weighted } from './random';
import { maybeTicket } from './support-tickets';

const CANCEL_KINDS: Weighted<ClientFailureReason | PromptOutcome> = [
  ['user_cancelled_or_timed_out', 0.84],
  ['aborted_by_browser', 0.04],
  ['abandoned', 0.09],
  ['no_response', 0.03],
];

const CREDENTIAL_ID_BYTES: Readonly<Record<Provider['reach'], number>> = {
  apple: 20,
  google: 16,
  samsung: 32,
  microsoft: 32,
  installed_manager: 16,
  this_device: 32,
  security_key: 64,
};

export function prompt(
  j: Journey,
  state: SessionState,
  flowId: string,
  ceremonyId: string,
  type: 'registration' | 'authentication',
  surface: Surface,
  mediation: Mediation,
  at: number,
  durationMs: number,
  outcome: PromptOutcome,
  reason?: ClientFailureReason,
): void {
  // An autofill (conditional) prompt starts before the user identified themselves: no user id yet.
  const anonymous = mediation === 'conditional';
  const ctx = j.ctx(state.device, at, { sessionId: state.sessionId, flowId, surface, ceremonyId });
  if (anonymous) delete ctx.userId;
  j.events.push({
    kind: 'prompt',
    source: 'web',
    ctx,
    event: {
      ceremonyType: type,
      ceremonyId,
      outcome,
      durationMs: Math.round(durationMs),
      mediation,
      ...(outcome === 'error' && reason ? { errorType: ERROR_TYPE_OF_REASON[reason], failureReason: reason } : {}),
    },
  });
}

/** Draws how a prompt ends: cancelled, a browser error, or a response for the server. */
function drawPrompt(
  j: Journey,
  type: 'registration' | 'authentication',
  device: SimDevice,
  mediation: Mediation,
  hybrid: boolean,
): { kind: 'cancel'; reason: ClientFailureReason | PromptOutcome } | { kind: 'error'; reason: ClientFailureReason } | { kind: 'response' } {
  const cancelRate = hybrid ? 0.12 : type === 'registration' ? 0.07 : mediation === 'conditional' ? 0.004 : 0.03;
  if (j.rng.chance(cancelRate)) return { kind: 'cancel', reason: j.rng.weighted(CANCEL_KINDS) };
  const profile = failureProfile(type, device.model.quirk);
  if (j.rng.chance(profile.clientError)) return { kind: 'error', reason: j.rng.weighted(profile.clientReasons) };
  return { kind: 'response' };
}

function promptDuration(j: Journey, type: 'registration' | 'authentication', mediation: Mediation, hybrid: boolean): number {
  if (hybrid) return j.rng.logNormal(18_000, 0.4);
  if (type === 'registration') return j.rng.logNormal(6_500, 0.5);
  return mediation === 'conditional' ? j.rng.logNormal(5_500, 0.6) : j.rng.logNormal(3_200, 0.45);
}

export function authenticate(
  j: Journey,
  t: number,
  state: SessionState,
  flowId: string,
  credential: SimCredential,
  options: { surface: Surface; mediation: Mediation; ceremonyId: string; hybrid?: boolean },
): CeremonyOutcome {
  const hybrid = options.hybrid ?? false;
  const { device } = state;
  const drawn = drawPrompt(j, 'authentication', device, options.mediation, hybrid);
  let duration = promptDuration(j, 'authentication', options.mediation, hybrid);
  const promptAt = (d: number) => t + d;

  if (drawn.kind === 'cancel') {
    if (drawn.reason === 'no_response') duration = CHALLENGE_TIMEOUT;
    const isOutcome = drawn.reason === 'abandoned' || drawn.reason === 'no_response';
    prompt(
      j,
      state,
      flowId,
      options.ceremonyId,
      'authentication',
      options.surface,
      options.mediation,
      promptAt(duration),
      duration,
      isOutcome ? (drawn.reason as PromptOutcome) : 'error',
      isOutcome ? undefined : (drawn.reason as ClientFailureReason),
    );
    // An autofill prompt's user is unknown to the relying party: nobody files a ticket about it.
    if (options.mediation !== 'conditional') maybeTicket(j, promptAt(duration), 'passkey_sign_in', 0.002);
    return { result: 'cancelled', at: promptAt(duration), reason: drawn.reason };
  }
  if (drawn.kind === 'error') {
    duration = j.rng.between(300, 2500);
    prompt(
      j,
      state,
      flowId,
      options.ceremonyId,
      'authentication',
      options.surface,
      options.mediation,
      promptAt(duration),
      duration,
      'error',
      drawn.reason,
    );
    if (options.mediation !== 'conditional') maybeTicket(j, promptAt(duration), 'passkey_sign_in', 0.035);
    return { result: 'failure', at: promptAt(duration), side: 'client', reason: drawn.reason };
  }

  const stale = credential.deletedAt !== undefined;
  const profile = failureProfile('authentication', device.model.quirk);
  let reason: ServerFailureReason | undefined;
  if (stale) reason = 'unknown_credential';
  else if (credential.provider.reach === 'security_key' && j.rng.chance(0.002)) reason = 'counter_regression';
  else if (j.rng.chance(profile.serverFailure)) reason = j.rng.weighted(profile.serverReasons);
  if (reason === 'challenge_expired') duration = CHALLENGE_TIMEOUT + j.rng.between(5, 600) * SECOND;

  const settled = promptAt(duration);
  prompt(j, state, flowId, options.ceremonyId, 'authentication', options.surface, options.mediation, settled, duration, 'success');
  const serverAt = settled + j.rng.between(120, 700);
  const ctx = j.ctx(state.device, serverAt, {
    sessionId: state.sessionId,
    flowId,
    surface: options.surface,
    ceremonyId: options.ceremonyId,
  });
  const attachment = hybrid ? 'cross-platform' : credential.provider.attachment;

  if (reason) {
    j.events.push({
      kind: 'authentication',
      source: 'api',
      ctx,
      event: {
        result: 'failure',
        failureReason: reason,
        credentialId: reason === 'malformed_response' ? undefined : credential.id,
        aaguid: stale ? undefined : credential.provider.aaguid,
        flags:
          reason === 'malformed_response'
            ? undefined
            : { up: true, uv: reason !== 'user_not_verified', be: credential.provider.synced, bs: credential.backedUp },
        authenticatorAttachment: attachment,
        rpId: RP_ID,
        origin:
          reason === 'origin_mismatch' ? (device.model.os === 'android' ? ANDROID_APP_ORIGIN : 'https://staging.acme.example') : ORIGIN,
      },
    });
    maybeTicket(j, serverAt, 'passkey_sign_in', stale ? 0.08 : 0.035);
    return { result: 'failure', at: serverAt, side: 'server', reason };
  }

  const previousBackupState = credential.backedUp;
  if (credential.provider.synced && !credential.backedUp && j.rng.chance(0.3)) credential.backedUp = true;
  if (credential.provider.reach === 'security_key') credential.counter += 1;
  j.events.push({
    kind: 'authentication',
    source: 'api',
    ctx,
    event: {
      result: 'success',
      credentialId: credential.id,
      aaguid: credential.provider.aaguid,
      flags: { up: true, uv: true, be: credential.provider.synced, bs: credential.backedUp },
      authenticatorAttachment: attachment,
      rpId: RP_ID,
      origin: ORIGIN,
      previousBackupState,
      signCountAnomaly: credential.provider.reach === 'security_key' ? false : undefined,
    },
  });
  if (previousBackupState !== credential.backedUp) {
    j.events.push({
      kind: 'lifecycle',
      source: 'api',
      ctx: j.userCtx(state.device, serverAt + 5, { sessionId: state.sessionId }),
      event: { action: 'backup_state_changed', credentialId: credential.id, flags: { be: true, bs: credential.backedUp } },
    });
  }
  return { result: 'success', at: serverAt, credential };
}

/** A registration ceremony with retries; returns the new credential, if any. */
export function register(
  j: Journey,
  t: number,
  state: SessionState,
  surface: Surface,
  forced?: ProviderKey,
): { at: number; credential?: SimCredential } {
  const flowId = j.id('flw');
  let at = t;
  for (let attempt = 0; attempt < 2; attempt++) {
    const outcome = registrationCeremony(j, at, state, flowId, surface, forced);
    at = outcome.at + j.rng.between(2, 20) * SECOND;
    if (outcome.result === 'success') return { at, credential: outcome.credential };
    if (outcome.result === 'failure' && outcome.reason === 'credential_excluded') break;
    if (!j.rng.chance(0.4)) break;
  }
  return { at };
}

function chooseProvider(j: Journey, device: SimDevice): Provider | 'no_authenticator' {
  const m = device.model;
  let key = j.rng.weighted(providerChoices(m));
  const provider = PROVIDERS[key];
  // Without a platform authenticator the OS store cannot answer (Windows without Hello set up).
  if (!device.uvpaa && provider.reach === 'this_device') {
    if (m.browser !== 'chrome') return 'no_authenticator';
    key = 'googlePasswordManager';
  }
  return PROVIDERS[key];
}

function registrationCeremony(
  j: Journey,
  t: number,
  state: SessionState,
  flowId: string,
  surface: Surface,
  forced?: ProviderKey,
): CeremonyOutcome {
  const { device } = state;
  const ceremonyId = j.rng.uuid();
  const chosen = forced ? PROVIDERS[forced] : chooseProvider(j, device);
  const drawn = drawPrompt(j, 'registration', device, 'optional', false);
  let duration = promptDuration(j, 'registration', 'optional', false);

  if (chosen === 'no_authenticator' || drawn.kind === 'cancel') {
    const reason: ClientFailureReason | PromptOutcome =
      drawn.kind === 'cancel' ? drawn.reason : j.rng.chance(0.85) ? 'user_cancelled_or_timed_out' : 'constraint_unsatisfied';
    if (reason === 'no_response') duration = CHALLENGE_TIMEOUT;
    const isOutcome = reason === 'abandoned' || reason === 'no_response';
    prompt(
      j,
      state,
      flowId,
      ceremonyId,
      'registration',
      surface,
      'optional',
      t + duration,
      duration,
      isOutcome ? (reason as PromptOutcome) : 'error',
      isOutcome ? undefined : (reason as ClientFailureReason),
    );
    if (reason === 'constraint_unsatisfied') {
      maybeTicket(j, t + duration, 'passkey_registration', 0.1);
      return { result: 'failure', at: t + duration, side: 'client', reason };
    }
    return { result: 'cancelled', at: t + duration, reason };
  }

  // excludeCredentials: the authenticator already holds a live passkey of this user (a forced
  // provider is a new authenticator, e.g. a second security key of the same model).
  const excluded = !forced && j.usableOn(device, t).some((c) => c.provider.name === chosen.name);
  if (excluded || drawn.kind === 'error') {
    const reason: ClientFailureReason = excluded ? 'credential_excluded' : (drawn as { reason: ClientFailureReason }).reason;
    duration = excluded ? j.rng.between(1500, 6000) : j.rng.between(300, 3000);
    prompt(j, state, flowId, ceremonyId, 'registration', surface, 'optional', t + duration, duration, 'error', reason);
    if (!excluded) maybeTicket(j, t + duration, 'passkey_registration', 0.1);
    return { result: 'failure', at: t + duration, side: 'client', reason };
  }

  const profile = failureProfile('registration', device.model.quirk);
  let reason: ServerFailureReason | undefined;
  if (j.profile.riskTier === 'high' && surface === 'account_settings' && chosen.reach !== 'security_key' && j.rng.chance(0.5)) {
    reason = 'attestation_policy_violation'; // high-risk accounts are asked for a hardware key
  } else if (j.rng.chance(profile.serverFailure)) {
    reason = j.rng.weighted(profile.serverReasons);
  }
  if (reason === 'challenge_expired') duration = CHALLENGE_TIMEOUT + j.rng.between(5, 600) * SECOND;
  const settled = t + duration;
  prompt(j, state, flowId, ceremonyId, 'registration', surface, 'optional', settled, duration, 'success');
  const serverAt = settled + j.rng.between(150, 800);
  const ctx = j.ctx(device, serverAt, { sessionId: state.sessionId, flowId, surface, ceremonyId });
  const credentialId = j.rng.base64url(CREDENTIAL_ID_BYTES[chosen.reach]);
  const backedUp = chosen.synced && !j.rng.chance(0.08);
  const facts = {
    credentialId,
    aaguid: chosen.aaguid,
    attestationFormat: chosen.attestationFormat,
    authenticatorAttachment: chosen.attachment,
    transports: [...chosen.transports],
    rpId: RP_ID,
  };

  if (reason) {
    const malformed = reason === 'malformed_response';
    j.events.push({
      kind: 'registration',
      source: 'api',
      ctx,
      event: {
        result: 'failure',
        failureReason: reason,
        ...(malformed ? { rpId: RP_ID } : facts),
        flags: malformed ? undefined : { up: true, uv: reason !== 'user_not_verified', be: chosen.synced, bs: backedUp },
        origin:
          reason === 'origin_mismatch' ? (device.model.os === 'android' ? ANDROID_APP_ORIGIN : 'https://staging.acme.example') : ORIGIN,
      },
    });
    maybeTicket(j, serverAt, 'passkey_registration', reason === 'attestation_policy_violation' ? 0.25 : 0.1);
    return { result: 'failure', at: serverAt, side: 'server', reason };
  }

  const credential: SimCredential = {
    id: credentialId,
    provider: chosen,
    deviceKey: device.key,
    registeredAt: serverAt,
    backedUp,
    counter: chosen.reach === 'security_key' ? 1 : 0,
    staleOnDevice: false,
  };
  j.credentials.push(credential);
  j.events.push({
    kind: 'registration',
    source: 'api',
    ctx,
    event: { result: 'success', ...facts, flags: { up: true, uv: true, be: chosen.synced, bs: backedUp }, origin: ORIGIN },
  });
  return { result: 'success', at: serverAt, credential };
}
