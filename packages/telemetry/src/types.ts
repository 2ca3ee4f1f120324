/**
 * Shared SDK types: value types derived from the enums of `./vocabulary.ts` (never redefined
 * here) and the typed inputs of every event. Platform-free.
 */
import type {
  AUTH_METHODS,
  AUTH_RESULTS,
  AUTHENTICATOR_ATTACHMENTS,
  CREDENTIAL_ACTIONS,
  FALLBACK_REASONS,
  MEDIATIONS,
  PASSKEY_RESULTS,
  RECOVERY_METHODS,
  RECOVERY_STAGES,
  RISK_TIERS,
  SURFACES,
  TICKET_STAGES,
  TRANSPORTS,
  UPSELL_OUTCOMES,
  CeremonyType,
  ClientFailureReason,
  DeviceClass,
  PromptOutcome,
  ServerFailureReason,
} from './vocabulary.ts';
import type { TelemetryAttributes } from './privacy.ts';

export type { CeremonyType, ClientFailureReason, DeviceClass, PromptOutcome, ServerFailureReason };
export type Surface = (typeof SURFACES)[number];
export type RiskTier = (typeof RISK_TIERS)[number];
export type Mediation = (typeof MEDIATIONS)[number];
export type UpsellOutcome = (typeof UPSELL_OUTCOMES)[number];
export type PasskeyResult = (typeof PASSKEY_RESULTS)[number];
export type CredentialAction = (typeof CREDENTIAL_ACTIONS)[number];
export type AuthMethod = (typeof AUTH_METHODS)[number];
export type AuthResult = (typeof AUTH_RESULTS)[number];
export type FallbackReason = (typeof FALLBACK_REASONS)[number];
export type RecoveryStage = (typeof RECOVERY_STAGES)[number];
export type RecoveryMethod = (typeof RECOVERY_METHODS)[number];
export type TicketStage = (typeof TICKET_STAGES)[number];
export type AuthenticatorAttachment = (typeof AUTHENTICATOR_ATTACHMENTS)[number];
export type Transport = (typeof TRANSPORTS)[number];

/** Attributes shared by every event of a page, process or request (DESIGN.md section 3, "Common"). */
export interface CommonAttributes {
  /** The relying party's opaque account id. Never an e-mail address or phone number. */
  userId?: string;
  sessionId?: string;
  /** One sign-in / registration / recovery journey (`auth.flow.id`). */
  flowId?: string;
  surface?: Surface;
  riskTier?: RiskTier;
  /** `deployment.environment.name` */
  environment?: string;
  /** `user_agent.original`; on the server pass the request's User-Agent so ingest derives the device class. */
  userAgent?: string;
  /** Explicit `device.class`; otherwise ingest derives it from client hints / the user agent. */
  deviceClass?: DeviceClass;
  browserName?: string;
  browserVersion?: string;
  osName?: string;
  osVersion?: string;
  /** Extra attributes (checked by the privacy guard like every other). */
  attributes?: TelemetryAttributes;
}

/** Per-event context: the common attributes plus the ceremony it belongs to and an optional time. */
export interface EventContext extends CommonAttributes {
  /** `webauthn.ceremony.id`: joins the browser prompt to the server verification. */
  ceremonyId?: string;
  /** Event time (defaults to now). Simulators and backfills set it. */
  timestamp?: Date | number;
}

/** Events the ingest requires a `user.id` for. */
export type UserEventContext = EventContext & { userId: string };

export interface PromptEvent {
  ceremonyType: CeremonyType;
  ceremonyId: string;
  outcome: PromptOutcome;
  durationMs: number;
  mediation?: Mediation;
  /** The DOMException name; only with `outcome: 'error'`. */
  errorType?: string;
  failureReason?: ClientFailureReason;
}

export interface CapabilitiesEvent {
  apiAvailable: boolean;
  /** User-verifying platform authenticator available. */
  uvpaa?: boolean;
  conditionalGet?: boolean;
  /** Capability names `getClientCapabilities()` reported `true`. */
  supported?: readonly string[];
  /** Capability names it reported `false` (a name in neither list was absent). */
  unsupported?: readonly string[];
  source?: 'get_client_capabilities' | 'legacy' | 'none';
}

export interface UpsellEvent {
  outcome: UpsellOutcome;
}

export interface FallbackEvent {
  /** The method the user fell back from (`auth.fallback.from`), usually `passkey`. */
  from?: AuthMethod;
  /** The method fallen back to (`auth.method`). */
  to?: AuthMethod;
  reason: FallbackReason;
}

export interface AuthenticatorFlags {
  up?: boolean;
  uv?: boolean;
  be?: boolean;
  bs?: boolean;
}

/** What a server-side verification established, success or failure. */
export interface VerificationFacts {
  result: PasskeyResult;
  failureReason?: ServerFailureReason;
  /** base64url, as stored by the relying party. */
  credentialId?: string;
  aaguid?: string;
  flags?: AuthenticatorFlags;
  authenticatorAttachment?: AuthenticatorAttachment;
  transports?: readonly string[];
  rpId?: string;
  origin?: string;
}

export interface RegistrationEvent extends VerificationFacts {
  attestationFormat?: string;
}

export interface AuthenticationEvent extends VerificationFacts {
  /** newCounter ≤ stored counter while both are non-zero (a cloned authenticator, or a replay). */
  signCountAnomaly?: boolean;
  /** The backup state stored for the credential before this ceremony. */
  previousBackupState?: boolean;
}

export interface CredentialLifecycleEvent {
  action: CredentialAction;
  credentialId: string;
  flags?: Pick<AuthenticatorFlags, 'be' | 'bs'>;
}

export interface SignInEvent {
  method: AuthMethod;
  result: AuthResult;
}

export interface RecoveryEvent {
  stage: RecoveryStage;
  method: RecoveryMethod;
}

export interface SupportTicketEvent {
  ticketId: string;
  stage: TicketStage;
  category?: string;
  channel?: string;
}

export interface FeatureFlagEvent {
  key: string;
  /** The variant served; for the rollout flag, the stage. */
  variant: string;
}
