/**
 * Row shapes of the events and credential state the product shows (lookup, security signals).
 * Pure zod, browser-safe: the queries in sql/queries produce them, the contracts
 * (lib/contracts/events.ts, lib/contracts/security.ts) put them in responses, and the dashboard
 * validates and renders them.
 */
import { z } from 'zod';

const nullableBool = z.boolean().nullable();

export const zEventRow = z.object({
  timestamp: z.string(),
  eventName: z.string(),
  userId: z.string(),
  sessionId: z.string(),
  flowId: z.string(),
  ceremonyId: z.string(),
  traceId: z.string(),
  spanId: z.string(),
  serviceName: z.string(),
  riskTier: z.string(),
  surface: z.string(),
  deviceClass: z.string(),
  deviceClassSource: z.string(),
  browserName: z.string(),
  browserVersion: z.string(),
  osName: z.string(),
  osVersion: z.string(),
  ceremonyType: z.string(),
  mediation: z.string(),
  promptOutcome: z.string(),
  promptDurationMs: z.number().nullable(),
  errorType: z.string(),
  clientFailureReason: z.string(),
  result: z.string(),
  failureReason: z.string(),
  credentialId: z.string(),
  aaguid: z.string(),
  flags: z.object({ up: nullableBool, uv: nullableBool, be: nullableBool, bs: nullableBool }),
  signCountAnomaly: nullableBool,
  attestationFormat: z.string(),
  authenticatorAttachment: z.string(),
  transports: z.array(z.string()),
  rpId: z.string(),
  origin: z.string(),
  credentialKind: z.string(),
  backedUp: nullableBool,
  providerName: z.string(),
  providerKind: z.string(),
  credentialAction: z.string(),
  authMethod: z.string(),
  fallbackFrom: z.string(),
  fallbackReason: z.string(),
  recoveryStage: z.string(),
  recoveryMethod: z.string(),
  ticketId: z.string(),
  ticketCategory: z.string(),
  ticketStage: z.string(),
  upsellOutcome: z.string(),
  featureFlagKey: z.string(),
  featureFlagVariant: z.string(),
  userAgent: z.string(),
  environment: z.string(),
  serviceVersion: z.string(),
  /** When ingest received it, and the name of the ingest token that sent it ('' before tokens were named). */
  receivedAt: z.string(),
  ingestToken: z.string(),
  /** Every attribute the event's columns do not hold, as sent. */
  attributes: z.record(z.string(), z.string()),
  resourceAttributes: z.record(z.string(), z.string()),
});
export type EventRow = z.infer<typeof zEventRow>;

export const zCredentialState = z.object({
  credentialId: z.string(),
  userId: z.string(),
  registeredAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  deleted: z.boolean(),
  deviceClass: z.string().nullable(),
  osName: z.string().nullable(),
  credentialKind: z.string().nullable(),
  backedUp: z.boolean().nullable(),
  providerName: z.string().nullable(),
  providerKind: z.string().nullable(),
  aaguid: z.string().nullable(),
  attestationFormat: z.string().nullable(),
  authenticatorAttachment: z.string().nullable(),
});
export type CredentialState = z.infer<typeof zCredentialState>;

/** A server verification event as the security signals list it (lib/contracts/security.ts). */
export const zSecurityEvent = z.object({
  timestamp: z.iso.datetime(),
  eventName: z.string(),
  ceremonyId: z.string(),
  userId: z.string(),
  deviceClass: z.string(),
  credentialId: z.string(),
  result: z.string(),
  failureReason: z.string(),
  origin: z.string(),
  rpId: z.string(),
  signCountAnomaly: z.boolean().nullable(),
});
export type SecurityEvent = z.infer<typeof zSecurityEvent>;
