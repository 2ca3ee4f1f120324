/**
 * Semantic conventions v1 — the event vocabulary of DESIGN.md section 3.
 *
 * The one place the closed enums live. The SDK emits them; the analytics product (which imports
 * them through its `lib/vocabulary.ts`) validates against them at ingest and names them in its
 * queries and dashboard. Its docs/semantic-conventions.md documents them. Pure: no imports.
 */

export const EVENT_NAMES = [
  'passkey.client.capabilities',
  'passkey.upsell',
  'passkey.prompt',
  'passkey.registration',
  'passkey.authentication',
  'passkey.credential.lifecycle',
  'auth.sign_in',
  'auth.fallback',
  'auth.password.removed',
  'account.recovery',
  'support.ticket',
  'feature_flag.evaluation',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export const SURFACES = [
  'login_page',
  'login_autofill',
  'signup',
  'post_sign_in_upsell',
  'account_settings',
  'step_up',
  'recovery',
] as const;

export const RISK_TIERS = ['standard', 'high'] as const;

export const CEREMONY_TYPES = ['registration', 'authentication'] as const;
export type CeremonyType = (typeof CEREMONY_TYPES)[number];

export const MEDIATIONS = ['silent', 'optional', 'conditional', 'required', 'immediate'] as const;

export const PROMPT_OUTCOMES = ['success', 'error', 'abandoned', 'superseded', 'no_response'] as const;
export type PromptOutcome = (typeof PROMPT_OUTCOMES)[number];

export const UPSELL_OUTCOMES = ['shown', 'accepted', 'dismissed'] as const;

export const PASSKEY_RESULTS = ['success', 'failure'] as const;

/** Browser-side failure reasons, classified from the DOMException name. */
export const CLIENT_FAILURE_REASONS = [
  'user_cancelled_or_timed_out',
  'credential_excluded',
  'rp_id_invalid',
  'aborted_by_rp',
  'aborted_by_browser',
  'algorithm_unsupported',
  'constraint_unsatisfied',
  'unknown_authenticator_error',
  'invalid_options',
  'other',
] as const;
export type ClientFailureReason = (typeof CLIENT_FAILURE_REASONS)[number];

/** Server-side failure reasons, from WebAuthn verification. */
export const SERVER_FAILURE_REASONS = [
  'challenge_mismatch',
  'challenge_expired',
  'challenge_reused',
  'origin_mismatch',
  'rp_id_mismatch',
  'user_not_present',
  'user_not_verified',
  'unknown_credential',
  'credential_user_mismatch',
  'bad_signature',
  'counter_regression',
  'attestation_untrusted',
  'attestation_policy_violation',
  'malformed_response',
  'internal_error',
  'other',
] as const;
export type ServerFailureReason = (typeof SERVER_FAILURE_REASONS)[number];

/**
 * "A cancel is not a failure" (DESIGN.md section 4): browser reasons and prompt outcomes that
 * make a ceremony `cancelled` rather than `failure`.
 */
export const CANCEL_REASONS = ['user_cancelled_or_timed_out', 'aborted_by_browser', 'aborted_by_rp'] as const;
export const CANCEL_PROMPT_OUTCOMES = ['abandoned', 'superseded', 'no_response'] as const;

export const CREDENTIAL_ACTIONS = [
  'registered',
  'deleted_by_user',
  'deleted_by_admin',
  'deleted_by_policy',
  'backup_state_changed',
  'renamed',
] as const;

export const AUTH_METHODS = [
  'passkey',
  'password',
  'password_otp',
  'sms_code',
  'email_code',
  'email_link',
  'social',
  'sso',
  'security_key',
  'recovery_code',
  'other',
] as const;

export const AUTH_RESULTS = ['success', 'failure', 'locked_out', 'abandoned'] as const;

export const FALLBACK_REASONS = [
  'user_chose_other_method',
  'prompt_error',
  'prompt_abandoned',
  'no_passkey_for_account',
  'api_unavailable',
  'verification_failed',
  'policy_required',
  'other',
] as const;

export const RECOVERY_STAGES = ['started', 'completed', 'failed', 'abandoned'] as const;
export const RECOVERY_METHODS = [
  'email_magic_link',
  'email_code',
  'sms_code',
  'saved_recovery_code',
  'recovery_contact',
  'other_bound_authenticator',
  'identity_reproofing',
  'support_agent_override',
  'hardware_key',
  'other',
] as const;
/**
 * Recovery channels an attacker can phish (DESIGN.md section 4, phishable recovery share). The one
 * home of the rule: code asks `isPhishableRecoveryMethod`; SQL gets this list as a bound parameter.
 */
export const PHISHABLE_RECOVERY_METHODS = ['sms_code', 'email_code', 'email_magic_link', 'support_agent_override'] as const;
const PHISHABLE: ReadonlySet<string> = new Set(PHISHABLE_RECOVERY_METHODS);

/** Whether a recovery method (any `account.recovery.method` value, known or not) can be phished. */
export function isPhishableRecoveryMethod(method: string): boolean {
  return PHISHABLE.has(method);
}

export const TICKET_STAGES = ['opened', 'updated', 'resolved', 'closed', 'reopened'] as const;

export const DEVICE_CLASSES = [
  'mobile-ios',
  'mobile-android',
  'tablet-ipados',
  'tablet-android',
  'desktop-macos',
  'desktop-windows',
  'desktop-linux',
  'desktop-chromeos',
  'other',
] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export const CREDENTIAL_KINDS = ['synced', 'device_bound', 'unknown'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const PROVIDER_KINDS = ['os_platform', 'third_party_manager', 'security_key', 'unknown'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const AUTHENTICATOR_ATTACHMENTS = ['platform', 'cross-platform'] as const;
export const TRANSPORTS = ['internal', 'hybrid', 'usb', 'nfc', 'ble', 'smart-card', 'cable'] as const;
