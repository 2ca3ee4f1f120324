/**
 * The fallback-reliant cohort week by week in one pass (GET /api/v1/cohorts/fallback/weekly): for
 * each week W_i = [weekStarts[i], weekEnds[i]) of the window, what fallback-cohort-sizes.ts answers
 * for W_i alone — the cohort's size per first-match reason (`part` 'reason') and |A(W_i)| (`part`
 * 'active') — from one read of the window's sign-ins and ceremonies instead of one query per week
 * (a 90-day window has 14 weeks). The same definitions (docs/metrics.md, "Fallback-reliant cohort"),
 * each taken per week: A(W_i) the users with a successful sign-in in W_i, a holder one with a
 * credential live at the week's end, a failing user one with a failed or cancelled ceremony started
 * in W_i, a gap user one whose every live credential's OS is missing from their sign-ins of W_i.
 *
 * Only without a rollout-variant filter: a variant keeps the users exposed before the window's end
 * (VARIANT_FILTER_PREDICATE), which differs per week; with one, the caller asks week by week.
 * Weeks without active users have no row.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { HOLDER_CREDENTIALS, KEPT_CEREMONIES, cohortReason, zCoreParams } from './core-metric-fragments';
import { CEREMONIES, CREDENTIAL_STATES, FILTERED_EVENTS, LIVE_AT } from './shared';

export const zFallbackWeeklyParams = zCoreParams.extend({
  /** Ascending; the first is `from`. */
  weekStarts: z.array(z.date()).min(1),
  /** weekEnds[i] = weekStarts[i + 1], the last one `to`. */
  weekEnds: z.array(z.date()).min(1),
});

/** The week (1-based) of a time in [from, to). */
const WEEK_OF = (at: ReturnType<typeof sql>) => sql`toUInt32(arrayCount(s -> s <= ${at}, {weekStarts:Array(DateTime64(3, 'UTC'))}))`;
const WEEK_END = sql`{weekEnds:Array(DateTime64(3, 'UTC'))}[a.week]`;

export const fallbackCohortWeekly = defineQuery({
  name: 'fallback-cohort-weekly',
  params: zFallbackWeeklyParams,
  row: z.object({
    week: z.number().int().positive(),
    part: z.enum(['reason', 'active']),
    reason: z.string(),
    users: z.number().int().nonnegative(),
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${CEREMONIES}, ${KEPT_CEREMONIES},
    active_users AS MATERIALIZED (
      SELECT ${WEEK_OF(sql`timestamp`)} AS week, user_id,
             countIf(auth_method = 'passkey') AS passkey_sign_in_count,
             groupUniqArrayIf(os_name, os_name != '') AS sign_in_oses
      FROM filtered
      WHERE event_name = 'auth.sign_in' AND result = 'success' AND user_id != ''
      GROUP BY week, user_id
    ),
    -- H(end of W_i) among A(W_i) — the only holders the cohort asks about — and whether each is a
    -- gap user that week: every live credential's OS known and missing from that week's sign-ins
    holders_at_to AS (
      SELECT a.week AS week, a.user_id AS user_id, groupArray(credential_os) AS credential_oses,
             notEmpty(any(a.sign_in_oses)) AND arrayAll(os -> os != '' AND NOT has(any(a.sign_in_oses), os), credential_oses) AS is_gap
      FROM active_users AS a
      INNER JOIN holder_credentials AS h ON h.user_id = a.user_id
      WHERE ${LIVE_AT(WEEK_END)}
      GROUP BY week, user_id
    ),
    failing_users AS (
      SELECT DISTINCT ${WEEK_OF(sql`started_at`)} AS week, user_id
      FROM kept_ceremonies
      WHERE outcome IN ('failure', 'cancelled') AND user_id != ''
    ),
    -- joined, not looked up with IN: (week, user) sets cost twice the CPU (docs/performance.md)
    cohort AS (
      SELECT
        a.week AS week,
        ${cohortReason({ noPasskey: sql`h.user_id = ''`, failing: sql`f.user_id != ''`, gap: sql`h.is_gap` })} AS reason
      FROM active_users AS a
      LEFT JOIN holders_at_to AS h ON h.week = a.week AND h.user_id = a.user_id
      LEFT JOIN failing_users AS f ON f.week = a.week AND f.user_id = a.user_id
      WHERE a.passkey_sign_in_count = 0
    )
    SELECT * FROM (
      SELECT week, 'reason' AS part, reason, count() AS users FROM cohort GROUP BY week, reason
      UNION ALL
      SELECT week, 'active' AS part, '' AS reason, count() AS users FROM active_users GROUP BY week
    )
    ORDER BY week, part, reason
  `.text,
});
