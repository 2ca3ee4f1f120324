/**
 * The typed event-emitting core shared by the browser and server entry points.
 *
 * Every event is one OpenTelemetry LogRecord whose `eventName` (OTLP proto field 12) names it,
 * emitted through the logs API of `@opentelemetry/api` — any LoggerProvider works (the SDK's, a
 * test's in-memory one, or the global one). Attributes go through the privacy guard first.
 */
import { logs, SeverityNumber, type Logger, type LoggerProvider } from '@opentelemetry/api';
import type { EventName } from './vocabulary.ts';
import * as A from './attributes.ts';
import { assertSafeAttributes, defaultStrictPrivacy, type TelemetryAttributes } from './privacy.ts';
import type {
  AuthenticationEvent,
  CapabilitiesEvent,
  CommonAttributes,
  CredentialLifecycleEvent,
  EventContext,
  FallbackEvent,
  FeatureFlagEvent,
  PromptEvent,
  RecoveryEvent,
  RegistrationEvent,
  SignInEvent,
  SupportTicketEvent,
  UpsellEvent,
  UserEventContext,
  VerificationFacts,
} from './types.ts';

export const INSTRUMENTATION_SCOPE = '@passkey-rollout/telemetry';
export const INSTRUMENTATION_VERSION = '1.0.0';

/** A LoggerProvider that can also flush and shut down (the SDK's `LoggerProvider` is one). */
export type FlushableLoggerProvider = LoggerProvider & {
  forceFlush?: () => Promise<void>;
  shutdown?: () => Promise<void>;
};

export interface PasskeyTelemetryOptions {
  /** Where records go. Defaults to the global provider (`logs.getLoggerProvider()`). */
  loggerProvider?: FlushableLoggerProvider;
  /** Or a ready logger (takes precedence over `loggerProvider`). */
  logger?: Logger;
  /** Attributes added to every event (per-event context overrides them). */
  common?: CommonAttributes;
  /**
   * Privacy violations throw (true) or are dropped with a diag warning (false).
   * Default: true unless `NODE_ENV === 'production'`.
   */
  strictPrivacy?: boolean;
}

export interface EmitOptions {
  timestamp?: Date | number;
  /** Exact secrets no attribute value may contain (see `assertSafeAttributes`). */
  forbiddenValues?: readonly (string | undefined | null)[];
}

export interface PasskeyTelemetry {
  /** Low-level: one LogRecord with `eventName`, INFO severity and the (guarded) attributes. */
  emit(eventName: EventName, attributes: TelemetryAttributes, options?: EmitOptions): void;
  /** Merge into the common attributes (e.g. set `userId` once the user signed in). */
  setCommon(common: CommonAttributes): void;
  getCommon(): Readonly<CommonAttributes>;

  recordPrompt(event: PromptEvent, ctx?: EventContext): void;
  recordCapabilities(event: CapabilitiesEvent, ctx?: EventContext): void;
  recordUpsell(event: UpsellEvent, ctx?: EventContext): void;
  recordFallback(event: FallbackEvent, ctx?: EventContext): void;
  recordRegistration(event: RegistrationEvent, ctx?: EventContext, options?: EmitOptions): void;
  recordAuthentication(event: AuthenticationEvent, ctx?: EventContext, options?: EmitOptions): void;
  recordCredentialLifecycle(event: CredentialLifecycleEvent, ctx: UserEventContext): void;
  recordSignIn(event: SignInEvent, ctx?: EventContext): void;
  recordPasswordRemoved(ctx: UserEventContext): void;
  recordRecovery(event: RecoveryEvent, ctx: UserEventContext): void;
  recordSupportTicket(event: SupportTicketEvent, ctx: UserEventContext): void;
  recordFeatureFlag(event: FeatureFlagEvent, ctx?: EventContext): void;

  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function commonAttributes(common: CommonAttributes | undefined): TelemetryAttributes {
  if (!common) return {};
  return {
    ...common.attributes,
    [A.ATTR_USER_ID]: common.userId,
    [A.ATTR_SESSION_ID]: common.sessionId,
    [A.ATTR_AUTH_FLOW_ID]: common.flowId,
    [A.ATTR_SURFACE]: common.surface,
    [A.ATTR_USER_RISK_TIER]: common.riskTier,
    [A.ATTR_DEPLOYMENT_ENVIRONMENT]: common.environment,
    [A.ATTR_USER_AGENT]: common.userAgent,
    [A.ATTR_DEVICE_CLASS]: common.deviceClass,
    [A.ATTR_BROWSER_NAME]: common.browserName,
    [A.ATTR_BROWSER_VERSION]: common.browserVersion,
    [A.ATTR_OS_NAME]: common.osName,
    [A.ATTR_OS_VERSION]: common.osVersion,
  };
}

function withoutUndefined(attributes: TelemetryAttributes): TelemetryAttributes {
  const out: TelemetryAttributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined && value !== null) out[key] = value;
  return out;
}

function contextAttributes(ctx: EventContext | undefined): TelemetryAttributes {
  if (!ctx) return {};
  return withoutUndefined({ ...commonAttributes(ctx), [A.ATTR_CEREMONY_ID]: ctx.ceremonyId });
}

function verificationAttributes(event: VerificationFacts): TelemetryAttributes {
  return {
    [A.ATTR_PASSKEY_RESULT]: event.result,
    [A.ATTR_FAILURE_REASON]: event.result === 'failure' ? (event.failureReason ?? 'internal_error') : undefined,
    [A.ATTR_CREDENTIAL_ID]: event.credentialId,
    [A.ATTR_AAGUID]: event.aaguid,
    [A.ATTR_FLAG_UP]: event.flags?.up,
    [A.ATTR_FLAG_UV]: event.flags?.uv,
    [A.ATTR_FLAG_BE]: event.flags?.be,
    [A.ATTR_FLAG_BS]: event.flags?.bs,
    [A.ATTR_AUTHENTICATOR_ATTACHMENT]: event.authenticatorAttachment,
    [A.ATTR_TRANSPORTS]: event.transports && event.transports.length > 0 ? [...event.transports] : undefined,
    [A.ATTR_RP_ID]: event.rpId,
    [A.ATTR_ORIGIN]: event.origin,
  };
}

export function createPasskeyTelemetry(options: PasskeyTelemetryOptions = {}): PasskeyTelemetry {
  const provider = options.loggerProvider;
  const logger = options.logger ?? (provider ?? logs.getLoggerProvider()).getLogger(INSTRUMENTATION_SCOPE, INSTRUMENTATION_VERSION);
  const strict = options.strictPrivacy ?? defaultStrictPrivacy();
  let common: CommonAttributes = { ...options.common };

  function emit(eventName: EventName, attributes: TelemetryAttributes, emitOptions: EmitOptions = {}): void {
    const merged = { ...withoutUndefined(commonAttributes(common)), ...withoutUndefined(attributes) };
    const safe = assertSafeAttributes(merged, { strict, forbiddenValues: emitOptions.forbiddenValues });
    logger.emit({
      eventName,
      timestamp: emitOptions.timestamp ?? Date.now(),
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      attributes: safe,
    });
  }

  function emitWith(eventName: EventName, ctx: EventContext | undefined, attributes: TelemetryAttributes, extra?: EmitOptions) {
    emit(eventName, { ...contextAttributes(ctx), ...attributes }, { ...extra, timestamp: ctx?.timestamp ?? extra?.timestamp });
  }

  return {
    emit,
    setCommon(next) {
      common = { ...common, ...next, attributes: { ...common.attributes, ...next.attributes } };
    },
    getCommon: () => common,

    recordPrompt(event, ctx) {
      const failed = event.outcome === 'error';
      emitWith('passkey.prompt', ctx, {
        [A.ATTR_CEREMONY_ID]: event.ceremonyId,
        [A.ATTR_CEREMONY_TYPE]: event.ceremonyType,
        [A.ATTR_MEDIATION]: event.mediation,
        [A.ATTR_PROMPT_OUTCOME]: event.outcome,
        [A.ATTR_PROMPT_DURATION_MS]: Math.max(0, Math.round(event.durationMs)),
        [A.ATTR_ERROR_TYPE]: failed ? (event.errorType ?? 'unknown') : undefined,
        [A.ATTR_CLIENT_FAILURE_REASON]: failed ? (event.failureReason ?? 'other') : undefined,
      });
    },
    recordCapabilities(event, ctx) {
      emitWith('passkey.client.capabilities', ctx, {
        [A.ATTR_CLIENT_API_AVAILABLE]: event.apiAvailable,
        [A.ATTR_CLIENT_UVPAA]: event.uvpaa,
        [A.ATTR_CLIENT_CONDITIONAL_GET]: event.conditionalGet,
        [A.ATTR_CLIENT_CAPABILITIES]: event.supported ? [...event.supported] : undefined,
        [A.ATTR_CLIENT_CAPABILITIES_UNSUPPORTED]: event.unsupported ? [...event.unsupported] : undefined,
        [A.ATTR_CLIENT_CAPABILITIES_SOURCE]: event.source,
      });
    },
    recordUpsell(event, ctx) {
      emitWith('passkey.upsell', ctx, { [A.ATTR_UPSELL_OUTCOME]: event.outcome });
    },
    recordFallback(event, ctx) {
      emitWith('auth.fallback', ctx, {
        [A.ATTR_FALLBACK_FROM]: event.from,
        [A.ATTR_AUTH_METHOD]: event.to,
        [A.ATTR_FALLBACK_REASON]: event.reason,
      });
    },
    recordRegistration(event, ctx, extra) {
      emitWith(
        'passkey.registration',
        ctx,
        { ...verificationAttributes(event), [A.ATTR_ATTESTATION_FORMAT]: event.attestationFormat },
        extra,
      );
    },
    recordAuthentication(event, ctx, extra) {
      emitWith(
        'passkey.authentication',
        ctx,
        {
          ...verificationAttributes(event),
          [A.ATTR_SIGN_COUNT_ANOMALY]: event.signCountAnomaly,
          [A.ATTR_FLAG_BS_PREVIOUS]: event.previousBackupState,
        },
        extra,
      );
    },
    recordCredentialLifecycle(event, ctx) {
      emitWith('passkey.credential.lifecycle', ctx, {
        [A.ATTR_CREDENTIAL_ACTION]: event.action,
        [A.ATTR_CREDENTIAL_ID]: event.credentialId,
        [A.ATTR_FLAG_BE]: event.flags?.be,
        [A.ATTR_FLAG_BS]: event.flags?.bs,
      });
    },
    recordSignIn(event, ctx) {
      emitWith('auth.sign_in', ctx, { [A.ATTR_AUTH_METHOD]: event.method, [A.ATTR_AUTH_RESULT]: event.result });
    },
    recordPasswordRemoved(ctx) {
      emitWith('auth.password.removed', ctx, {});
    },
    recordRecovery(event, ctx) {
      emitWith('account.recovery', ctx, {
        [A.ATTR_RECOVERY_STAGE]: event.stage,
        [A.ATTR_RECOVERY_METHOD]: event.method,
      });
    },
    recordSupportTicket(event, ctx) {
      emitWith('support.ticket', ctx, {
        [A.ATTR_TICKET_ID]: event.ticketId,
        [A.ATTR_TICKET_STAGE]: event.stage,
        [A.ATTR_TICKET_CATEGORY]: event.category,
        [A.ATTR_TICKET_CHANNEL]: event.channel,
      });
    },
    recordFeatureFlag(event, ctx) {
      emitWith('feature_flag.evaluation', ctx, {
        [A.ATTR_FEATURE_FLAG_KEY]: event.key,
        [A.ATTR_FEATURE_FLAG_VARIANT]: event.variant,
      });
    },

    forceFlush: async () => {
      await provider?.forceFlush?.();
    },
    shutdown: async () => {
      await provider?.shutdown?.();
    },
  };
}
