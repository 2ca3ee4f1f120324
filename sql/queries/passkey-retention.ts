/**
 * Passkey retention (docs/metrics.md, "Passkey retention"): users grouped by the week (Monday, in `tz`)
 * of their first successful passkey registration in [from, to); for each week since, up to the one
 * holding `to`, how many signed in with a passkey, how many signed in only by other methods, and how
 * many had no live passkey left at the week's end (every one deleted). One row per cohort × week.
 * Filters narrow the registrations that place a user in a cohort and the sign-ins counted; a
 * passkey's deletion counts whatever it was registered on.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { CREDENTIAL_STATES, FILTER_PREDICATE, zWindowFilterParams } from './shared';

const count = z.number().int().nonnegative();

export const zRetentionRow = z.object({
  cohortWeek: z.string(),
  offset: z.number().int().nonnegative(),
  users: count,
  passkeySignIns: count,
  fallbackOnly: count,
  deletedAll: count,
});
export type RetentionRow = z.infer<typeof zRetentionRow>;

export const passkeyRetention = defineQuery({
  name: 'passkey-retention',
  params: zWindowFilterParams,
  row: zRetentionRow,
  sql: sql`
    WITH
    cohort_users AS MATERIALIZED (
      SELECT user_id, toMonday(min(timestamp), {tz:String}) AS cohort_week
      FROM ceremony_events
      WHERE event_name = 'passkey.registration' AND result = 'success' AND user_id != ''
        AND timestamp < {to:DateTime64(3, 'UTC')}
        AND ${FILTER_PREDICATE}
      GROUP BY user_id
      HAVING min(timestamp) >= {from:DateTime64(3, 'UTC')}
    ),
    cohort_weeks AS (
      SELECT user_id, cohort_week, offset,
             -- local Monday midnight in tz, as an instant
             toDateTime64(toDateTime(addWeeks(cohort_week, offset), {tz:String}), 3, 'UTC') AS week_start,
             least(toDateTime64(toDateTime(addWeeks(cohort_week, offset + 1), {tz:String}), 3, 'UTC'), {to:DateTime64(3, 'UTC')}) AS week_end
      FROM cohort_users
      ARRAY JOIN range(toUInt32(intDiv(dateDiff('day', cohort_week, toDate({to:DateTime64(3, 'UTC')} - INTERVAL 1 MILLISECOND, {tz:String})), 7) + 1)) AS offset
    ),
    sign_in_weeks AS (
      SELECT user_id, toMonday(timestamp, {tz:String}) AS week, max(auth_method = 'passkey') AS with_passkey
      FROM ceremony_events
      WHERE event_name = 'auth.sign_in' AND result = 'success'
        AND timestamp >= toDateTime(toMonday({from:DateTime64(3, 'UTC')}, {tz:String}), {tz:String}) AND timestamp < {to:DateTime64(3, 'UTC')}
        AND user_id IN (SELECT user_id FROM cohort_users)
        AND ${FILTER_PREDICATE}
      GROUP BY user_id, week
    ),
    ${CREDENTIAL_STATES},
    lifetimes AS (
      SELECT user_id, groupArray((registered_at, deleted_at)) AS spans
      FROM credential_states
      WHERE user_id IN (SELECT user_id FROM cohort_users)
      GROUP BY user_id
    )
    SELECT
      toString(w.cohort_week) AS cohortWeek,
      w.offset AS offset,
      count() AS users,
      countIf(s.user_id != '' AND s.with_passkey) AS passkeySignIns,
      countIf(s.user_id != '' AND NOT s.with_passkey) AS fallbackOnly,
      countIf(arrayCount(span -> assumeNotNull(span.1) < w.week_end AND (span.2 IS NULL OR span.2 >= w.week_end), l.spans) = 0) AS deletedAll
    FROM cohort_weeks AS w
    LEFT JOIN sign_in_weeks AS s ON s.user_id = w.user_id AND s.week = toDate(w.week_start, {tz:String})
    LEFT JOIN lifetimes AS l ON l.user_id = w.user_id
    GROUP BY w.cohort_week, w.offset
    ORDER BY w.cohort_week, w.offset
  `.text,
});
