/**
 * Ceremony telemetry SDK — the shared, platform-free part: attribute names, types, the privacy
 * guard, failure classification and the typed event core. Import the platform entry points for
 * the rest: `@passkey-rollout/telemetry/browser` (prompt tracking, capabilities, OTLP/JSON with
 * keepalive) and `@passkey-rollout/telemetry/server` (wrapped @simplewebauthn/server verification,
 * journey helpers). The enums themselves: `@passkey-rollout/telemetry/vocabulary`. See README.md.
 */
export * from './attributes.ts';
export * from './types.ts';
export {
  assertSafeAttributes,
  looksLikeEmailOrPhone,
  TelemetryPrivacyError,
  type PrivacyOptions,
  type TelemetryAttributes,
} from './privacy.ts';
export {
  AttestationPolicyError,
  ChallengeExpiredError,
  ChallengeReusedError,
  classifyClientError,
  classifyServerError,
  CredentialUserMismatchError,
  isCancelReason,
  PasskeyVerificationError,
  simpleWebAuthnAbortKind,
  UnknownCredentialError,
  VERIFIED_FALSE_REASON,
  type ClientErrorClassification,
  type ClientErrorContext,
} from './classify.ts';
export {
  createPasskeyTelemetry,
  INSTRUMENTATION_SCOPE,
  INSTRUMENTATION_VERSION,
  type EmitOptions,
  type FlushableLoggerProvider,
  type PasskeyTelemetry,
  type PasskeyTelemetryOptions,
} from './core.ts';
