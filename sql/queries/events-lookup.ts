/**
 * Lookup: the normalized events of one subject (user, credential, flow, ceremony or trace) or of a
 * drill-down slice, newest first.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';

import { zEventRow } from '@/lib/domain/event-rows';

export const eventsLookup = defineQuery({
  name: 'events-lookup',
  params: z.object({
    from: z.date(),
    to: z.date(),
    userId: z.string(),
    credentialId: z.string(),
    flowId: z.string(),
    ceremonyId: z.string(),
    traceId: z.string(),
    eventNames: z.array(z.string()),
    deviceClasses: z.array(z.string()),
    reasons: z.array(z.string()),
    limit: z.number().int().min(1).max(1000),
  }),
  row: zEventRow,
  sql: /* sql */ `
    SELECT
      timestamp,
      event_name AS eventName,
      user_id AS userId,
      session_id AS sessionId,
      flow_id AS flowId,
      ceremony_id AS ceremonyId,
      trace_id AS traceId,
      span_id AS spanId,
      service_name AS serviceName,
      risk_tier AS riskTier,
      surface,
      device_class AS deviceClass,
      device_class_source AS deviceClassSource,
      browser_name AS browserName,
      browser_version AS browserVersion,
      os_name AS osName,
      os_version AS osVersion,
      ceremony_type AS ceremonyType,
      mediation,
      prompt_outcome AS promptOutcome,
      prompt_duration_ms AS promptDurationMs,
      error_type AS errorType,
      client_failure_reason AS clientFailureReason,
      result,
      failure_reason AS failureReason,
      credential_id AS credentialId,
      aaguid,
      map('up', flag_up, 'uv', flag_uv, 'be', flag_be, 'bs', flag_bs) AS flags,
      sign_count_anomaly AS signCountAnomaly,
      attestation_format AS attestationFormat,
      authenticator_attachment AS authenticatorAttachment,
      transports,
      rp_id AS rpId,
      origin,
      credential_kind AS credentialKind,
      backed_up AS backedUp,
      provider_name AS providerName,
      provider_kind AS providerKind,
      credential_action AS credentialAction,
      auth_method AS authMethod,
      fallback_from AS fallbackFrom,
      fallback_reason AS fallbackReason,
      recovery_stage AS recoveryStage,
      recovery_method AS recoveryMethod,
      ticket_id AS ticketId,
      ticket_category AS ticketCategory,
      ticket_stage AS ticketStage,
      upsell_outcome AS upsellOutcome,
      feature_flag_key AS featureFlagKey,
      feature_flag_variant AS featureFlagVariant,
      user_agent AS userAgent,
      environment,
      service_version AS serviceVersion,
      received_at AS receivedAt,
      ingest_token AS ingestToken,
      attributes,
      resource_attributes AS resourceAttributes
    FROM ceremony_events
    WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND ({userId:String} = '' OR user_id = {userId:String})
      AND ({credentialId:String} = '' OR credential_id = {credentialId:String})
      AND ({flowId:String} = '' OR flow_id = {flowId:String})
      AND ({ceremonyId:String} = '' OR ceremony_id = {ceremonyId:String})
      AND ({traceId:String} = '' OR trace_id = lower({traceId:String}))
      AND (empty({eventNames:Array(String)}) OR has({eventNames:Array(String)}, event_name))
      AND (empty({deviceClasses:Array(String)}) OR has({deviceClasses:Array(String)}, device_class))
      AND (empty({reasons:Array(String)}) OR has({reasons:Array(String)}, failure_reason)
           OR has({reasons:Array(String)}, client_failure_reason))
    ORDER BY timestamp DESC, event_name
    LIMIT {limit:UInt32}
  `,
});
