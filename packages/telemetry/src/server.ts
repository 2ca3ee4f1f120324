/**
 * Node entry point of the ceremony telemetry SDK.
 *
 * `verifyRegistration` / `verifyAuthentication` wrap @simplewebauthn/server's verify functions:
 * they return (or throw) exactly what the library returns (or throws), and emit one
 * `passkey.registration` / `passkey.authentication` per call with the facts the verification
 * established — result, classified failure reason, credential ID, AAGUID, flags, attestation
 * format, attachment, transports, RP ID, origin, sign-count anomaly. On failure the facts come
 * from parsing the response ourselves, best effort (./response-facts.ts). The expected challenge and
 * the raw response fields are handed to the privacy guard as forbidden values, so they can never be
 * emitted.
 */
import { diag } from '@opentelemetry/api';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type BatchLogRecordProcessorOptions,
  type LogRecordExporter,
} from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  type VerifiedAuthenticationResponse,
  type VerifiedRegistrationResponse,
  type VerifyAuthenticationResponseOpts,
  type VerifyRegistrationResponseOpts,
} from '@simplewebauthn/server';
import { ATTR_SERVICE_NAME } from './attributes.ts';
import { classifyServerError, VERIFIED_FALSE_REASON } from './classify.ts';
import { createPasskeyTelemetry, type FlushableLoggerProvider, type PasskeyTelemetry } from './core.ts';
import { responseFacts, secretsOf, signCountAnomaly, singleRpId } from './response-facts.ts';
import type { Logger } from '@opentelemetry/api';
import type {
  AuthenticationEvent,
  CommonAttributes,
  CredentialLifecycleEvent,
  EventContext,
  FallbackEvent,
  FeatureFlagEvent,
  RecoveryEvent,
  RegistrationEvent,
  ServerFailureReason,
  SignInEvent,
  SupportTicketEvent,
  UpsellOutcome,
  UserEventContext,
} from './types.ts';

export * from './index.ts';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface ServerTelemetryOptions {
  /** Base URL of the product (like OTEL_EXPORTER_OTLP_ENDPOINT); records go to `${endpoint}/v1/logs`.
   *  Omitted: the exporter reads the standard OTEL_EXPORTER_OTLP_* environment variables. */
  endpoint?: string;
  /** Ingest token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** `service.name` of the resource. Default: OTEL_SERVICE_NAME or `relying-party`. */
  serviceName?: string;
  /** Default `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** Default `gzip`. */
  compression?: 'gzip' | 'none';
  resourceAttributes?: Record<string, string>;
  common?: CommonAttributes;
  /** Replaces the OTLP exporter (tests, custom transports). */
  exporter?: LogRecordExporter;
  batch?: Pick<BatchLogRecordProcessorOptions, 'scheduledDelayMillis' | 'maxExportBatchSize' | 'maxQueueSize' | 'exportTimeoutMillis'>;
  /** Use an existing LoggerProvider (e.g. your NodeSDK's) instead of creating one. */
  loggerProvider?: FlushableLoggerProvider;
  logger?: Logger;
  strictPrivacy?: boolean;
}

/** Post-verification policy hook: throw (ideally one of the SDK's error classes) to reject. */
export type VerificationPolicy<R> = (verification: R) => void | Promise<void>;

export interface RegistrationContext extends EventContext {
  /** E.g. an AAGUID allow-list for high-risk accounts: throw `AttestationPolicyError` to reject. */
  policy?: VerificationPolicy<Extract<VerifiedRegistrationResponse, { verified: true }>>;
}

export interface AuthenticationContext extends EventContext {
  /** The AAGUID stored with the credential (authentication responses do not carry it). */
  aaguid?: string;
  /** The backup state (BS) stored with the credential before this sign-in. */
  previousBackupState?: boolean;
  /** E.g. userHandle ↔ account binding: throw `CredentialUserMismatchError` to reject. */
  policy?: VerificationPolicy<VerifiedAuthenticationResponse>;
}

export interface RegistrationFailureContext extends EventContext {
  response?: RegistrationResponseJSON;
  rpId?: string;
}

export interface AuthenticationFailureContext extends EventContext {
  response?: AuthenticationResponseJSON;
  rpId?: string;
  aaguid?: string;
  previousBackupState?: boolean;
}

export interface ServerTelemetry extends PasskeyTelemetry {
  /** The provider the SDK created (undefined when you passed your own logger/provider). */
  readonly loggerProvider: LoggerProvider | undefined;
  verifyRegistration(params: VerifyRegistrationResponseOpts, ctx?: RegistrationContext): Promise<VerifiedRegistrationResponse>;
  verifyAuthentication(params: VerifyAuthenticationResponseOpts, ctx?: AuthenticationContext): Promise<VerifiedAuthenticationResponse>;
  /** Record a registration rejected before/around verification (expired challenge, …); returns the reason. */
  reportRegistrationFailure(error: unknown, ctx?: RegistrationFailureContext): ServerFailureReason;
  /** Record an authentication rejected before verification (`UnknownCredentialError`, …); returns the reason. */
  reportAuthenticationFailure(error: unknown, ctx?: AuthenticationFailureContext): ServerFailureReason;
  signIn(event: SignInEvent, ctx?: EventContext): void;
  fallback(event: FallbackEvent, ctx?: EventContext): void;
  recovery(event: RecoveryEvent, ctx: UserEventContext): void;
  supportTicket(event: SupportTicketEvent, ctx: UserEventContext): void;
  credentialLifecycle(event: CredentialLifecycleEvent, ctx: UserEventContext): void;
  passwordRemoved(ctx: UserEventContext): void;
  featureFlag(event: FeatureFlagEvent, ctx?: EventContext): void;
  upsell(outcome: UpsellOutcome, ctx?: EventContext): void;
}

// --- the telemetry ---------------------------------------------------------------------------

function createProvider(options: ServerTelemetryOptions): LoggerProvider {
  let exporter = options.exporter;
  if (!exporter) {
    const config = {
      url: options.endpoint ? `${options.endpoint.replace(/\/+$/, '')}/v1/logs` : undefined,
      headers: options.token ? { Authorization: `Bearer ${options.token}` } : undefined,
      compression: (options.compression ?? 'gzip') as NonNullable<ConstructorParameters<typeof OTLPProtoLogExporter>[0]>['compression'],
    };
    exporter = (options.protocol ?? 'http/protobuf') === 'http/json' ? new OTLPJsonLogExporter(config) : new OTLPProtoLogExporter(config);
  }
  const serviceName = options.serviceName ?? process.env.OTEL_SERVICE_NAME ?? 'relying-party';
  return new LoggerProvider({
    resource: resourceFromAttributes({ ...options.resourceAttributes, [ATTR_SERVICE_NAME]: serviceName }),
    processors: [new BatchLogRecordProcessor({ ...options.batch, exporter })],
  });
}

export function createServerTelemetry(options: ServerTelemetryOptions = {}): ServerTelemetry {
  const own = options.logger || options.loggerProvider ? undefined : createProvider(options);
  const provider = own ?? options.loggerProvider;
  const core = createPasskeyTelemetry({
    loggerProvider: provider,
    logger: options.logger,
    common: options.common,
    strictPrivacy: options.strictPrivacy,
  });

  function recordRegistration(event: RegistrationEvent, ctx: EventContext, secrets: (string | undefined)[]) {
    core.recordRegistration(event, ctx, { forbiddenValues: secrets });
  }
  function recordAuthentication(event: AuthenticationEvent, ctx: EventContext, secrets: (string | undefined)[]) {
    core.recordAuthentication(event, ctx, { forbiddenValues: secrets });
  }

  async function verifyRegistration(
    params: VerifyRegistrationResponseOpts,
    ctx: RegistrationContext = {},
  ): Promise<VerifiedRegistrationResponse> {
    const facts = responseFacts(params.response);
    const secrets = secretsOf(params, facts);
    const base: RegistrationEvent = {
      result: 'failure',
      credentialId: facts.credentialId,
      aaguid: facts.aaguid,
      flags: facts.flags,
      attestationFormat: facts.attestationFormat,
      authenticatorAttachment: facts.authenticatorAttachment,
      transports: facts.transports,
      rpId: singleRpId(params.expectedRPID),
      origin: facts.origin,
    };
    let verification: VerifiedRegistrationResponse;
    try {
      verification = await verifyRegistrationResponse(params);
    } catch (error) {
      recordRegistration({ ...base, failureReason: classifyServerError(error, 'registration') }, ctx, secrets);
      throw error;
    }
    if (!verification.verified) {
      recordRegistration({ ...base, failureReason: VERIFIED_FALSE_REASON }, ctx, secrets);
      return verification;
    }
    const info = verification.registrationInfo;
    const success: RegistrationEvent = {
      ...base,
      result: 'success',
      credentialId: info.credential.id,
      aaguid: info.aaguid,
      attestationFormat: info.fmt,
      flags: {
        up: facts.flags?.up,
        uv: info.userVerified,
        be: info.credentialDeviceType === 'multiDevice',
        bs: info.credentialBackedUp,
      },
      transports: info.credential.transports ?? facts.transports,
      rpId: info.rpID ?? base.rpId,
      origin: info.origin,
    };
    if (ctx.policy) {
      try {
        await ctx.policy(verification);
      } catch (error) {
        recordRegistration({ ...success, result: 'failure', failureReason: classifyServerError(error, 'registration') }, ctx, secrets);
        throw error;
      }
    }
    recordRegistration(success, ctx, secrets);
    return verification;
  }

  async function verifyAuthentication(
    params: VerifyAuthenticationResponseOpts,
    ctx: AuthenticationContext = {},
  ): Promise<VerifiedAuthenticationResponse> {
    const facts = responseFacts(params.response);
    const secrets = secretsOf(params, facts);
    const base: AuthenticationEvent = {
      result: 'failure',
      credentialId: params.credential?.id ?? facts.credentialId,
      aaguid: ctx.aaguid,
      flags: facts.flags,
      authenticatorAttachment: facts.authenticatorAttachment,
      transports: params.credential?.transports,
      rpId: singleRpId(params.expectedRPID),
      origin: facts.origin,
      signCountAnomaly: signCountAnomaly(facts.counter, params.credential?.counter),
      previousBackupState: ctx.previousBackupState,
    };
    let verification: VerifiedAuthenticationResponse;
    try {
      verification = await verifyAuthenticationResponse(params);
    } catch (error) {
      recordAuthentication({ ...base, failureReason: classifyServerError(error, 'authentication') }, ctx, secrets);
      throw error;
    }
    if (!verification.verified) {
      recordAuthentication({ ...base, failureReason: VERIFIED_FALSE_REASON }, ctx, secrets);
      return verification;
    }
    const info = verification.authenticationInfo;
    const success: AuthenticationEvent = {
      ...base,
      result: 'success',
      credentialId: info.credentialID,
      flags: {
        up: facts.flags?.up,
        uv: info.userVerified,
        be: info.credentialDeviceType === 'multiDevice',
        bs: info.credentialBackedUp,
      },
      rpId: info.rpID,
      origin: info.origin,
      signCountAnomaly: signCountAnomaly(info.newCounter, params.credential.counter),
    };
    if (ctx.policy) {
      try {
        await ctx.policy(verification);
      } catch (error) {
        recordAuthentication({ ...success, result: 'failure', failureReason: classifyServerError(error, 'authentication') }, ctx, secrets);
        throw error;
      }
    }
    recordAuthentication(success, ctx, secrets);
    return verification;
  }

  function reportRegistrationFailure(error: unknown, ctx: RegistrationFailureContext = {}): ServerFailureReason {
    const facts = responseFacts(ctx.response);
    const reason = classifyServerError(error, 'registration');
    recordRegistration(
      {
        result: 'failure',
        failureReason: reason,
        credentialId: facts.credentialId,
        aaguid: facts.aaguid,
        flags: facts.flags,
        attestationFormat: facts.attestationFormat,
        authenticatorAttachment: facts.authenticatorAttachment,
        transports: facts.transports,
        rpId: ctx.rpId,
        origin: facts.origin,
      },
      ctx,
      secretsOf({ response: ctx.response }, facts),
    );
    return reason;
  }

  function reportAuthenticationFailure(error: unknown, ctx: AuthenticationFailureContext = {}): ServerFailureReason {
    const facts = responseFacts(ctx.response);
    const reason = classifyServerError(error, 'authentication');
    recordAuthentication(
      {
        result: 'failure',
        failureReason: reason,
        credentialId: facts.credentialId,
        aaguid: ctx.aaguid,
        flags: facts.flags,
        authenticatorAttachment: facts.authenticatorAttachment,
        rpId: ctx.rpId,
        origin: facts.origin,
        previousBackupState: ctx.previousBackupState,
      },
      ctx,
      secretsOf({ response: ctx.response }, facts),
    );
    return reason;
  }

  return {
    ...core,
    loggerProvider: own,
    verifyRegistration,
    verifyAuthentication,
    reportRegistrationFailure,
    reportAuthenticationFailure,
    signIn: (event, ctx) => core.recordSignIn(event, ctx),
    fallback: (event, ctx) => core.recordFallback(event, ctx),
    recovery: (event, ctx) => core.recordRecovery(event, ctx),
    supportTicket: (event, ctx) => core.recordSupportTicket(event, ctx),
    credentialLifecycle: (event, ctx) => core.recordCredentialLifecycle(event, ctx),
    passwordRemoved: (ctx) => core.recordPasswordRemoved(ctx),
    featureFlag: (event, ctx) => core.recordFeatureFlag(event, ctx),
    upsell: (outcome, ctx) => core.recordUpsell({ outcome }, ctx),
    async forceFlush() {
      await provider?.forceFlush?.().catch((error: unknown) => diag.warn(`passkey telemetry: flush failed: ${String(error)}`));
    },
    async shutdown() {
      // Only shut down what we created; a caller-supplied provider is the caller's to shut down.
      await own?.shutdown();
    },
  };
}
