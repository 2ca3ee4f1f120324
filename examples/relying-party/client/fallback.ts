/**
 * Why a password sign-in counts as a fallback from passkeys (`auth.fallback.reason`), decided from
 * the last passkey attempt of the sign-in flow. Pure: unit-tested.
 */
import { isCancelReason } from '@passkey-rollout/telemetry';
import type { FallbackReason } from '@passkey-rollout/telemetry';

export type PasskeyAttempt =
  /** The browser prompt rejected (the classified client reason, or a prompt outcome). */
  | { stage: 'prompt'; reason: string }
  /** The prompt succeeded but the server refused the response (its failure reason). */
  | { stage: 'verification'; reason: string };

/** No passkey attempt in this flow: a plain password sign-in, not a fallback. */
export function fallbackReasonFor(attempt: PasskeyAttempt | undefined): FallbackReason | undefined {
  if (!attempt) return undefined;
  if (attempt.stage === 'verification') return 'verification_failed';
  return isCancelReason(attempt.reason) ? 'prompt_abandoned' : 'prompt_error';
}
