/**
 * Ceremony telemetry SDK — the shared, platform-free part: attribute names, types, the privacy
 * guard, failure classification and the typed event core. Import the platform entry points for
 * the rest: `@/lib/telemetry/browser` (prompt tracking, capabilities, OTLP/JSON with keepalive)
 * and `@/lib/telemetry/server` (wrapped @simplewebauthn/server verification, journey helpers).
 * See docs/sdk.md.
 */
export * from './attributes';
export * from './types';
export {
  assertSafeAttributes,
  looksLikeEmailOrPhone,
  TelemetryPrivacyError,
  type PrivacyOptions,
  type TelemetryAttributes,
} from './privacy';
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
} from './classify';
export {
  createPasskeyTelemetry,
  INSTRUMENTATION_SCOPE,
  INSTRUMENTATION_VERSION,
  type EmitOptions,
  type FlushableLoggerProvider,
  type PasskeyTelemetry,
  type PasskeyTelemetryOptions,
} from './core';
