/**
 * Each platform's failure profile — where the demo's story lives: most platforms fail rarely;
 * desktop Linux and a few older Android phones fail quietly more often (algorithm / authenticator
 * errors, UV not performed), small enough in number to stay under a stage gate's minimum sample.
 */
import type { ClientFailureReason, ServerFailureReason } from '@passkey-rollout/telemetry';
import type { DeviceQuirk } from './device-models';
import type { Weighted } from './random';

export interface FailureProfile {
  /** Non-cancel browser errors (probability and reasons). */
  clientError: number;
  clientReasons: Weighted<ClientFailureReason>;
  /** Server verification failures after a successful prompt. */
  serverFailure: number;
  serverReasons: Weighted<ServerFailureReason>;
}

/** The DOMException a client failure reason is classified from (DESIGN.md section 3). */
export const ERROR_TYPE_OF_REASON: Readonly<Record<ClientFailureReason, string>> = {
  user_cancelled_or_timed_out: 'NotAllowedError',
  credential_excluded: 'InvalidStateError',
  rp_id_invalid: 'SecurityError',
  aborted_by_rp: 'AbortError',
  aborted_by_browser: 'AbortError',
  algorithm_unsupported: 'NotSupportedError',
  constraint_unsatisfied: 'ConstraintError',
  unknown_authenticator_error: 'UnknownError',
  invalid_options: 'TypeError',
  other: 'Error',
};

const REGISTRATION_PROFILES: Readonly<Record<DeviceQuirk, FailureProfile>> = {
  none: {
    clientError: 0.006,
    clientReasons: [
      ['unknown_authenticator_error', 0.45],
      ['constraint_unsatisfied', 0.3],
      ['algorithm_unsupported', 0.05],
      ['other', 0.2],
    ],
    serverFailure: 0.007,
    serverReasons: [
      ['challenge_expired', 0.35],
      ['user_not_verified', 0.25],
      ['malformed_response', 0.1],
      ['challenge_mismatch', 0.1],
      ['internal_error', 0.1],
      ['origin_mismatch', 0.1],
    ],
  },
  flaky: {
    clientError: 0.09,
    clientReasons: [
      ['unknown_authenticator_error', 0.4],
      ['algorithm_unsupported', 0.28],
      ['rp_id_invalid', 0.12],
      ['constraint_unsatisfied', 0.1],
      ['other', 0.1],
    ],
    serverFailure: 0.035,
    serverReasons: [
      ['user_not_verified', 0.45],
      ['attestation_untrusted', 0.2],
      ['origin_mismatch', 0.15],
      ['malformed_response', 0.1],
      ['challenge_expired', 0.1],
    ],
  },
};

const AUTHENTICATION_PROFILES: Readonly<Record<DeviceQuirk, FailureProfile>> = {
  none: {
    clientError: 0.004,
    clientReasons: [
      ['unknown_authenticator_error', 0.5],
      ['constraint_unsatisfied', 0.2],
      ['other', 0.3],
    ],
    serverFailure: 0.006,
    serverReasons: [
      ['challenge_expired', 0.3],
      ['user_not_verified', 0.25],
      ['challenge_mismatch', 0.12],
      ['origin_mismatch', 0.08],
      ['bad_signature', 0.05],
      ['credential_user_mismatch', 0.05],
      ['internal_error', 0.15],
    ],
  },
  flaky: {
    clientError: 0.045,
    clientReasons: [
      ['unknown_authenticator_error', 0.55],
      ['algorithm_unsupported', 0.1],
      ['rp_id_invalid', 0.15],
      ['other', 0.2],
    ],
    serverFailure: 0.025,
    serverReasons: [
      ['user_not_verified', 0.5],
      ['origin_mismatch', 0.2],
      ['malformed_response', 0.15],
      ['challenge_expired', 0.15],
    ],
  },
};

export function failureProfile(type: 'registration' | 'authentication', quirk: DeviceQuirk): FailureProfile {
  return type === 'registration' ? REGISTRATION_PROFILES[quirk] : AUTHENTICATION_PROFILES[quirk];
}
