/**
 * Failure classification: turns what a WebAuthn ceremony threw into the closed failure-reason
 * enums of `./vocabulary.ts`. Pure and platform-free; shared by the browser and server entry points.
 *
 * Why a module of its own: the reasons drive every rate on the dashboard and "a cancel is not a
 * failure" (DESIGN.md section 4) depends on classifying aborts and NotAllowedError exactly. The
 * server side matches @simplewebauthn/server v14's error messages, copied verbatim from its source
 * (node_modules/@simplewebauthn/server/esm/**); the unit tests pin each one.
 *
 * Error messages are only ever *matched*, never emitted: several of them embed the challenge.
 */
import {
  CANCEL_PROMPT_OUTCOMES,
  CANCEL_REASONS,
  type CeremonyType,
  type ClientFailureReason,
  type ServerFailureReason,
} from './vocabulary.ts';

// ---------------------------------------------------------------------------------------------
// Browser side
// ---------------------------------------------------------------------------------------------

export interface ClientErrorContext {
  ceremonyType: CeremonyType;
  /** True only when the relying party's own AbortSignal (ours) fired before the rejection. */
  abortedByUs: boolean;
}

export interface ClientErrorClassification {
  /** The DOMException name (`NotAllowedError`, …), `Error` for a plain error, `unknown` for a non-error. */
  errorType: string;
  reason: ClientFailureReason;
}

/** @simplewebauthn/browser's `WebAuthnError`, recognised structurally (no browser-only import). */
interface WebAuthnErrorLike {
  name: string;
  code: string;
  cause?: unknown;
}

function isErrorLike(value: unknown): value is { name: string; message?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

function isWebAuthnError(value: unknown): value is WebAuthnErrorLike {
  if (!isErrorLike(value)) return false;
  const code: unknown = (value as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERROR_');
}

/** The messages @simplewebauthn/browser's WebAuthnAbortService aborts with (the RP's own library). */
const SIMPLEWEBAUTHN_ABORT_MESSAGES = {
  superseded: 'Cancelling existing WebAuthn API call for new one',
  cancelled: 'Manually cancelling existing WebAuthn API call',
} as const;

function underlyingError(error: unknown): unknown {
  if (isWebAuthnError(error) && isErrorLike(error.cause)) return error.cause;
  return error;
}

/**
 * True when the rejection was produced by @simplewebauthn/browser's `WebAuthnAbortService`, i.e.
 * by relying-party code (a newer `startRegistration`/`startAuthentication`, or `cancelCeremony()`),
 * never by the browser. `superseded` tells the two apart.
 */
export function simpleWebAuthnAbortKind(error: unknown): 'superseded' | 'cancelled' | null {
  const inner = underlyingError(error);
  if (!isErrorLike(inner) || inner.name !== 'AbortError') return null;
  if (inner.message === SIMPLEWEBAUTHN_ABORT_MESSAGES.superseded) return 'superseded';
  if (inner.message === SIMPLEWEBAUTHN_ABORT_MESSAGES.cancelled) return 'cancelled';
  return null;
}

/** Refinements from @simplewebauthn/browser's `WebAuthnError.code`, where it knows more than the name. */
const WEBAUTHN_ERROR_CODE_REASONS: Partial<Record<string, ClientFailureReason>> = {
  ERROR_INVALID_DOMAIN: 'rp_id_invalid',
  ERROR_INVALID_RP_ID: 'rp_id_invalid',
  ERROR_INVALID_USER_ID_LENGTH: 'invalid_options',
  ERROR_MALFORMED_PUBKEYCREDPARAMS: 'invalid_options',
  ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG: 'algorithm_unsupported',
  ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT: 'constraint_unsatisfied',
  ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT: 'constraint_unsatisfied',
  ERROR_AUTO_REGISTER_USER_VERIFICATION_FAILURE: 'constraint_unsatisfied',
  ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED: 'credential_excluded',
  ERROR_AUTHENTICATOR_GENERAL_ERROR: 'unknown_authenticator_error',
};

/**
 * Classifies what `navigator.credentials.create()/get()` (or @simplewebauthn/browser's
 * `startRegistration`/`startAuthentication`) rejected with.
 */
export function classifyClientError(error: unknown, ctx: ClientErrorContext): ClientErrorClassification {
  const inner = underlyingError(error);
  if (!isErrorLike(inner)) return { errorType: 'unknown', reason: 'other' };
  const errorType = inner.name;

  if (errorType === 'AbortError') {
    const byRp = ctx.abortedByUs || simpleWebAuthnAbortKind(error) !== null;
    return { errorType, reason: byRp ? 'aborted_by_rp' : 'aborted_by_browser' };
  }

  const refined = isWebAuthnError(error) ? WEBAUTHN_ERROR_CODE_REASONS[error.code] : undefined;
  if (refined && !(refined === 'credential_excluded' && ctx.ceremonyType !== 'registration')) {
    return { errorType, reason: refined };
  }

  switch (errorType) {
    case 'NotAllowedError':
      return { errorType, reason: 'user_cancelled_or_timed_out' };
    case 'InvalidStateError':
      return { errorType, reason: ctx.ceremonyType === 'registration' ? 'credential_excluded' : 'other' };
    case 'SecurityError':
      return { errorType, reason: 'rp_id_invalid' };
    case 'NotSupportedError':
      return { errorType, reason: 'algorithm_unsupported' };
    case 'ConstraintError':
      return { errorType, reason: 'constraint_unsatisfied' };
    case 'UnknownError':
      return { errorType, reason: 'unknown_authenticator_error' };
    case 'TypeError':
      return { errorType, reason: 'invalid_options' };
    default:
      return { errorType, reason: 'other' };
  }
}

const CANCEL_REASON_SET: ReadonlySet<string> = new Set([...CANCEL_REASONS, ...CANCEL_PROMPT_OUTCOMES]);

/**
 * "A cancel is not a failure": true for the client reasons (`user_cancelled_or_timed_out`,
 * `aborted_by_browser`, `aborted_by_rp`) and prompt outcomes (`abandoned`, `superseded`,
 * `no_response`) that make a ceremony `cancelled` rather than `failure`.
 */
export function isCancelReason(reason: string | null | undefined): boolean {
  return reason !== null && reason !== undefined && CANCEL_REASON_SET.has(reason);
}

// ---------------------------------------------------------------------------------------------
// Server side
// ---------------------------------------------------------------------------------------------

/** Base class of the relying-party errors that carry their own failure reason. */
export class PasskeyVerificationError extends Error {
  readonly reason: ServerFailureReason;
  constructor(reason: ServerFailureReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PasskeyVerificationError';
    this.reason = reason;
  }
}

/** The challenge was issued, but its time to live has passed. */
export class ChallengeExpiredError extends PasskeyVerificationError {
  constructor(message = 'The WebAuthn challenge has expired', options?: { cause?: unknown }) {
    super('challenge_expired', message, options);
    this.name = 'ChallengeExpiredError';
  }
}

/** The challenge was already consumed by an earlier verification (replay). */
export class ChallengeReusedError extends PasskeyVerificationError {
  constructor(message = 'The WebAuthn challenge was already used', options?: { cause?: unknown }) {
    super('challenge_reused', message, options);
    this.name = 'ChallengeReusedError';
  }
}

/** The credential ID in the response is not registered with the relying party. */
export class UnknownCredentialError extends PasskeyVerificationError {
  constructor(message = 'No credential is registered with this ID', options?: { cause?: unknown }) {
    super('unknown_credential', message, options);
    this.name = 'UnknownCredentialError';
  }
}

/** The credential exists but belongs to another account than the one signing in (userHandle). */
export class CredentialUserMismatchError extends PasskeyVerificationError {
  constructor(message = 'The credential belongs to a different account', options?: { cause?: unknown }) {
    super('credential_user_mismatch', message, options);
    this.name = 'CredentialUserMismatchError';
  }
}

/** The response verified, but the relying party's attestation / authenticator policy rejects it. */
export class AttestationPolicyError extends PasskeyVerificationError {
  constructor(message = 'The authenticator does not satisfy the attestation policy', options?: { cause?: unknown }) {
    super('attestation_policy_violation', message, options);
    this.name = 'AttestationPolicyError';
  }
}

const APP_ERROR_REASONS: Readonly<Record<string, ServerFailureReason>> = {
  ChallengeExpiredError: 'challenge_expired',
  ChallengeReusedError: 'challenge_reused',
  UnknownCredentialError: 'unknown_credential',
  CredentialUserMismatchError: 'credential_user_mismatch',
  AttestationPolicyError: 'attestation_policy_violation',
};

/**
 * @simplewebauthn/server v14 messages → reasons, first match wins. Order matters: the
 * challenge/origin/RP ID/UP/UV/counter checks come before the catch-all attestation and parse rules.
 */
const SERVER_MESSAGE_RULES: readonly (readonly [RegExp, ServerFailureReason])[] = [
  // verify{Registration,Authentication}Response: clientDataJSON.challenge
  [/^Unexpected (registration|authentication) response challenge "/, 'challenge_mismatch'],
  [/^Custom challenge verifier returned false for registration response challenge "/, 'challenge_mismatch'],
  // clientDataJSON.origin / topOrigin
  [/^Unexpected (registration|authentication) response origin "/, 'origin_mismatch'],
  [/^Detected cross-origin authentication response from top origin of "/, 'origin_mismatch'],
  [/^Unexpected cross-origin authentication response top origin of "/, 'origin_mismatch'],
  [/^Unexpected top origin of ".*" within a non-cross-origin authentication response/, 'origin_mismatch'],
  // helpers/matchExpectedRPID.js (class UnexpectedRPIDHash)
  [/^Unexpected RP ID hash$/, 'rp_id_mismatch'],
  // flags.up / flags.uv
  [/^User not present during authentication$/, 'user_not_present'],
  [/^User presence was required, but user was not present$/, 'user_not_present'],
  [/^User verification required, but user could not be verified$/, 'user_not_verified'],
  [/^User verification was required, but user could not be verified$/, 'user_not_verified'],
  // signCount
  [/^Response counter value \d+ was lower than expected \d+$/, 'counter_regression'],
  // signature verification
  [/^Invalid signature component length \d+, expected \d+$/, 'bad_signature'],
  [/^Signature verification with public key of kty .* is not supported by this method$/, 'bad_signature'],
  // attestation statements, certificate paths, metadata (MDS)
  [/\((Packed|Packed\|Full|TPM|TPM\|RSA|TPM\|ECC|Android Key|SafetyNet|Apple|FIDOU2F)\)$/, 'attestation_untrusted'],
  [/^None attestation had unexpected attestation statement$/, 'attestation_untrusted'],
  [/^Unsupported Attestation Format: /, 'attestation_untrusted'],
  [/^Found revoked certificate in certificate path$/, 'attestation_untrusted'],
  [/^Certificate is not yet valid or expired$/, 'attestation_untrusted'],
  [/^Certificate extension id-fido-gen-ce-aaguid /, 'attestation_untrusted'],
  [/^(No metadata statement found for aaguid|Detected compromised aaguid) "/, 'attestation_untrusted'],
  [/^AAGUID ".*" was not expected value$/, 'attestation_untrusted'],
  [/^Attestation statement alg .* did not match one of /, 'attestation_untrusted'],
  [/^Public key parameters .* did not match any of the following metadata algorithms/, 'attestation_untrusted'],
  [/^(Certificate |Certificate's |CRL from |BLOB )/, 'attestation_untrusted'],
  [/^(Unexpected TPM attested name alg|Unsupported pubArea\.type|Parsed pubArea type)/, 'attestation_untrusted'],
  // malformed responses: structure, encodings, authenticator data, CBOR
  [/^Missing credential ID$/, 'malformed_response'],
  [/^Credential ID was not base64url-encoded$/, 'malformed_response'],
  [/^Unexpected credential type .*, expected "public-key"$/, 'malformed_response'],
  [/^Credential missing response$/, 'malformed_response'],
  [/^Credential response (clientDataJSON|authenticatorData|signature|userHandle) was not a/, 'malformed_response'],
  [/^Unexpected (registration|authentication) response type/, 'malformed_response'],
  [/tokenBinding|TokenBinding/, 'malformed_response'],
  [/^Authenticator data was \d+ bytes, expected at least 37 bytes$/, 'malformed_response'],
  [/^Leftover bytes detected while parsing authenticator data$/, 'malformed_response'],
  [/^No (credential ID|public key) was provided by authenticator$/, 'malformed_response'],
  [/^No AAGUID was present during registration$/, 'malformed_response'],
  [/^Credential public key (was missing|with kty)/, 'malformed_response'],
  [/^Public key (was missing|had invalid alg)/, 'malformed_response'],
  [/^Unexpected public key alg ".*", expected one of "/, 'malformed_response'],
  [/^Unexpected COSE crv value of /, 'malformed_response'],
  [/^Error decoding authenticator extensions: /, 'malformed_response'],
  [/^Single-device credential indicated that it was backed up/, 'malformed_response'],
  [/CBOR|not well formed|^No data$|whole stream was not processed|^array is not supported/, 'malformed_response'],
];

/** Error class names (`error.name`) → reasons, for errors whose message alone is ambiguous. */
const SERVER_NAME_REASONS: Readonly<Record<string, ServerFailureReason>> = {
  UnexpectedRPIDHash: 'rp_id_mismatch',
  InvalidBackupFlags: 'malformed_response',
  SyntaxError: 'malformed_response', // JSON.parse of clientDataJSON
  RangeError: 'malformed_response', // DataView reads past truncated authenticator data
  TypeError: 'malformed_response', // a required response field is missing
  PQCNotSupportedError: 'internal_error',
  MissingWebCrypto: 'internal_error',
};

/**
 * Classifies what `verifyRegistrationResponse()` / `verifyAuthenticationResponse()` threw, or an
 * app-level error the relying party raised (the error classes above, matched by class or name).
 * A verification that returned `verified: false` is `bad_signature` (see `VERIFIED_FALSE_REASON`).
 */
export function classifyServerError(error: unknown, _ceremonyType: CeremonyType): ServerFailureReason {
  if (error instanceof PasskeyVerificationError) return error.reason;
  if (!isErrorLike(error)) return 'internal_error';
  const byAppName = APP_ERROR_REASONS[error.name];
  if (byAppName) return byAppName;
  if (error.name === 'SimpleWebAuthnError') {
    const code = (error as { code?: unknown }).code;
    if (code === 'CERTIFICATE_PATH_VERIFICATION_FAILED') return 'attestation_untrusted';
    if (code === 'RUNTIME_NO_PQC_SUPPORT') return 'internal_error';
  }
  const message = typeof error.message === 'string' ? error.message : '';
  for (const [pattern, reason] of SERVER_MESSAGE_RULES) {
    if (pattern.test(message)) return reason;
  }
  return SERVER_NAME_REASONS[error.name] ?? 'internal_error';
}

/** The reason recorded when verification completed but returned `verified: false`. */
export const VERIFIED_FALSE_REASON: ServerFailureReason = 'bad_signature';
