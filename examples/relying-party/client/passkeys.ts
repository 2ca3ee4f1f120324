/**
 * The two passkey ceremonies as the pages run them: options from the server, the browser prompt
 * tracked by the SDK (`passkey.prompt`), the response verified by the server (which emits
 * `passkey.registration` / `passkey.authentication` with the same ceremony id).
 */
import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { classifyClientError, simpleWebAuthnAbortKind, type BrowserTelemetry, type CeremonyType } from '@passkey-rollout/telemetry/browser';
import { api, ApiError } from './common';
import type { PasskeyAttempt } from './fallback';

export type CeremonyReport =
  | { outcome: 'success'; ceremonyId: string; credentialId?: string; next?: string; message: string }
  /** Replaced by a newer prompt (the autofill request when the button is pressed): nothing to show. */
  | { outcome: 'superseded'; ceremonyId: string }
  | { outcome: 'failed'; ceremonyId: string; attempt: PasskeyAttempt; message: string };

export type RegistrationSurface = 'account_settings' | 'post_sign_in_upsell' | 'recovery';
export type SignInSurface = 'login_page' | 'login_autofill';

function promptFailure(error: unknown, ceremonyType: CeremonyType, ceremonyId: string): CeremonyReport {
  if (simpleWebAuthnAbortKind(error) === 'superseded') return { outcome: 'superseded', ceremonyId };
  const { reason } = classifyClientError(error, { ceremonyType, abortedByUs: false });
  const message =
    reason === 'credential_excluded'
      ? 'This device already holds a passkey for your account.'
      : reason === 'user_cancelled_or_timed_out'
        ? 'The passkey prompt was cancelled or timed out.'
        : `The passkey prompt failed (${reason}).`;
  return { outcome: 'failed', ceremonyId, attempt: { stage: 'prompt', reason }, message };
}

function verificationFailure(error: unknown, ceremonyId: string): CeremonyReport {
  const reason = error instanceof ApiError ? (error.reason ?? `http_${error.status}`) : 'network_error';
  const message = error instanceof Error ? error.message : 'The server could not be reached.';
  return { outcome: 'failed', ceremonyId, attempt: { stage: 'verification', reason }, message };
}

export async function registerPasskey(telemetry: BrowserTelemetry, surface: RegistrationSurface, flowId: string): Promise<CeremonyReport> {
  const { optionsJSON } = await api<{ optionsJSON: PublicKeyCredentialCreationOptionsJSON }>('/api/passkeys/options', { flowId, surface });
  // Our own id, so a failed prompt can still be shown and looked up.
  const ceremonyId = telemetry.newCeremonyId();
  let response;
  try {
    ({ result: response } = await telemetry.trackCreate(() => startRegistration({ optionsJSON }), { surface, flowId, ceremonyId }));
  } catch (error) {
    return promptFailure(error, 'registration', ceremonyId);
  }
  try {
    const verified = await api<{ credentialId: string; kind: string }>('/api/passkeys/verify', { flowId, ceremonyId, surface, response });
    const kind = verified.kind === 'synced' ? 'synced passkey' : 'device-bound passkey';
    return { outcome: 'success', ceremonyId, credentialId: verified.credentialId, message: `Added a ${kind}.` };
  } catch (error) {
    return verificationFailure(error, ceremonyId);
  }
}

/** `onPrompt` runs when the browser request starts (for autofill: when the passkey is offered in the field). */
export async function signInWithPasskey(
  telemetry: BrowserTelemetry,
  surface: SignInSurface,
  flowId: string,
  onPrompt?: () => void,
): Promise<CeremonyReport> {
  const { optionsJSON } = await api<{ optionsJSON: PublicKeyCredentialRequestOptionsJSON }>('/api/signin/passkey/options', {
    flowId,
    surface,
  });
  const autofill = surface === 'login_autofill';
  const ceremonyId = telemetry.newCeremonyId();
  let response;
  try {
    const prompt = telemetry.trackGet(() => startAuthentication({ optionsJSON, useBrowserAutofill: autofill }), {
      surface,
      flowId,
      ceremonyId,
      mediation: autofill ? 'conditional' : 'optional',
    });
    onPrompt?.();
    ({ result: response } = await prompt);
  } catch (error) {
    return promptFailure(error, 'authentication', ceremonyId);
  }
  try {
    const verified = await api<{ next: string }>('/api/signin/passkey/verify', { flowId, ceremonyId, surface, response });
    return { outcome: 'success', ceremonyId, credentialId: response.id, next: verified.next, message: 'Signed in with your passkey.' };
  } catch (error) {
    return verificationFailure(error, ceremonyId);
  }
}

/** The status-line facts of a finished ceremony (`data-ceremony-id`, `data-outcome`, …). */
export function reportFacts(report: CeremonyReport): Record<string, string | undefined> {
  if (report.outcome === 'success') return { ceremonyId: report.ceremonyId, outcome: 'success', credentialId: report.credentialId };
  if (report.outcome === 'superseded') return { ceremonyId: report.ceremonyId, outcome: 'superseded' };
  return {
    ceremonyId: report.ceremonyId,
    outcome: report.attempt.stage === 'prompt' ? 'prompt_error' : 'verification_failed',
    reason: report.attempt.reason,
  };
}
