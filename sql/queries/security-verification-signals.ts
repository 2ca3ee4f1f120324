/**
 * Security signals from server verification (`passkey.registration` / `passkey.authentication`
 * events in W that pass the filters): origin and RP-ID mismatches, challenge reuse, counter
 * anomalies (the sign-count anomaly flag or a counter_regression failure), credential/user
 * mismatches, user-not-verified. An event may carry more than one signal. Per signal: exact counts
 * over every event (window functions, taken before the LIMIT BY) and the newest `limit` events.
 */
import { z } from 'zod';
import { zSecurityEvent } from '@/lib/domain/event-rows';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { FILTERED_EVENTS, zWindowFilterParams } from './shared';

/** A signal's event row: the contract's event plus the signal and its exact totals. */
export const zSecuritySignalEventRow = zSecurityEvent.extend({
  signal: z.enum(['originMismatch', 'rpIdMismatch', 'challengeReuse', 'counterAnomaly', 'credentialUserMismatch', 'userNotVerified']),
  events: z.number().int().nonnegative(),
  ceremonies: z.number().int().nonnegative(),
  users: z.number().int().nonnegative(),
  timestamp: z.string(),
});
export type SecuritySignalEventRow = z.infer<typeof zSecuritySignalEventRow>;

export const securityVerificationSignals = defineQuery({
  name: 'security-verification-signals',
  params: zWindowFilterParams.extend({ limit: z.number().int().min(1).max(1000) }),
  row: zSecuritySignalEventRow,
  sql: sql`
    WITH ${FILTERED_EVENTS},
    signal_events AS (
      SELECT
        arrayJoin(arrayFilter(s -> s != '', [
          if(failure_reason = 'origin_mismatch', 'originMismatch', ''),
          if(failure_reason = 'rp_id_mismatch', 'rpIdMismatch', ''),
          if(failure_reason = 'challenge_reused', 'challengeReuse', ''),
          if(ifNull(sign_count_anomaly, false) OR failure_reason = 'counter_regression', 'counterAnomaly', ''),
          if(failure_reason = 'credential_user_mismatch', 'credentialUserMismatch', ''),
          if(failure_reason = 'user_not_verified', 'userNotVerified', '')
        ])) AS signal,
        timestamp AS ts, event_name AS ev, ceremony_id AS ev_ceremony, user_id AS ev_user, device_class AS ev_device_class,
        credential_id AS ev_credential, result AS ev_result, failure_reason AS ev_reason, origin AS ev_origin, rp_id AS ev_rp_id,
        sign_count_anomaly AS ev_anomaly,
        if(ceremony_id != '', ceremony_id,
           concat('event:', event_name, ':', user_id, ':', credential_id, ':', toString(toUnixTimestamp64Milli(timestamp)))) AS ev_ceremony_key
      FROM filtered
      WHERE event_name IN ('passkey.registration', 'passkey.authentication')
    )
    SELECT
      signal,
      count() OVER (PARTITION BY signal) AS events,
      uniqExact(ev_ceremony_key) OVER (PARTITION BY signal) AS ceremonies,
      uniqExactIf(ev_user, ev_user != '') OVER (PARTITION BY signal) AS users,
      ts AS timestamp, ev AS eventName, ev_ceremony AS ceremonyId, ev_user AS userId, ev_device_class AS deviceClass,
      ev_credential AS credentialId, ev_result AS result, ev_reason AS failureReason, ev_origin AS origin, ev_rp_id AS rpId,
      ev_anomaly AS signCountAnomaly
    FROM signal_events
    ORDER BY signal, ts DESC, ev_ceremony_key
    LIMIT {limit:UInt32} BY signal
  `.text,
});
