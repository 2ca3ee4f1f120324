/** zod schemas of the reference RP's JSON API (the browser code imports the same types). */
import { z } from 'zod';
import { FALLBACK_REASONS } from '@passkey-rollout/telemetry/vocabulary';

export const zFlowId = z.uuid('must be a UUID (crypto.randomUUID())');
export const zCeremonyId = z.uuid('must be a UUID (the id trackCreate/trackGet returned)');

export const zUsername = z.string().trim().min(3, 'must be at least 3 characters').max(128, 'must be at most 128 characters');
export const zPassword = z.string().min(8, 'must be at least 8 characters').max(256, 'must be at most 256 characters');

export const zSignUpBody = z.object({ username: zUsername, password: zPassword });

export const zPasswordSignInBody = z.object({
  username: zUsername,
  password: z.string().min(1, 'is required').max(256),
  flowId: zFlowId,
  /** Set by the page when this password sign-in follows a failed or cancelled passkey attempt. */
  fallbackReason: z.enum(FALLBACK_REASONS).optional(),
});

export const REGISTRATION_SURFACES = ['account_settings', 'post_sign_in_upsell', 'recovery', 'signup'] as const;
export const AUTHENTICATION_SURFACES = ['login_page', 'login_autofill'] as const;

export const zRegistrationOptionsBody = z.object({ flowId: zFlowId, surface: z.enum(REGISTRATION_SURFACES) });
export const zAuthenticationOptionsBody = z.object({ flowId: zFlowId, surface: z.enum(AUTHENTICATION_SURFACES) });

const base64url = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');
const zTransports = z.array(z.string().max(32)).max(10);

/** RegistrationResponseJSON, as @simplewebauthn/browser's startRegistration returns it. */
export const zRegistrationResponse = z.object({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: z
      .string()
      .max(65_536)
      .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url'),
    authenticatorData: base64url.optional(),
    transports: zTransports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: z.string().max(4096).optional(),
  }),
});

/** AuthenticationResponseJSON, as startAuthentication returns it. */
export const zAuthenticationResponse = z.object({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
});

export const zRegistrationVerifyBody = z.object({
  flowId: zFlowId,
  ceremonyId: zCeremonyId,
  surface: z.enum(REGISTRATION_SURFACES),
  response: zRegistrationResponse,
});

export const zAuthenticationVerifyBody = z.object({
  flowId: zFlowId,
  ceremonyId: zCeremonyId,
  surface: z.enum(AUTHENTICATION_SURFACES),
  response: zAuthenticationResponse,
});

export const RECOVERY_METHODS_OFFERED = ['email_code', 'saved_recovery_code'] as const;

export const zRecoveryStartBody = z.object({ username: zUsername, method: z.enum(RECOVERY_METHODS_OFFERED), flowId: zFlowId });
export const zRecoveryCompleteBody = z.object({ flowId: zFlowId, code: z.string().trim().min(1, 'is required').max(32) });

export const zUpsellBody = z.object({ outcome: z.literal('dismissed') });

/** The failure answer of the passkey endpoints: what the page shows and uses for the fallback reason. */
export interface PasskeyFailureBody {
  error: string;
  reason: string;
}
