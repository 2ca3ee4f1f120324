/**
 * The fallback-reliant cohort of consecutive windows in one pass — the weeks of
 * GET /api/v1/cohorts/fallback/weekly, the previous window and the window of /cohorts/fallback: for
 * each W_i = [windowStarts[i], windowEnds[i]), what fallback-cohort-sizes.ts answers for W_i alone —
 * the cohort's size per first-match reason (`part` 'reason') and |A(W_i)| (`part` 'active') — from
 * one read of the span's sign-ins and ceremonies instead of one query per window (a 90-day window
 * has 14 weeks). The same definitions (docs/metrics.md, "Fallback-reliant cohort"), each taken per
 * window: A(W_i) the users with a successful sign-in in W_i, a holder one with a credential live at
 * W_i's end, a failing user one with a failed or cancelled ceremony started in W_i, a gap user one
 * whose every live credential's OS is missing from their sign-ins of W_i.
 *
 * The windows and why a rollout-variant filter asks them one by one: zCoreWindowsParams. Windows
 * without active users have no row.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import {
  CROSS_PLATFORM_GAP,
  FAILING_CEREMONY,
  HOLDER_CREDENTIALS,
  KEPT_CEREMONIES,
  SIGN_IN_EVENTS,
  WINDOW_END,
  WINDOW_OF,
  cohortReason,
  zCoreWindowsParams,
} from './core-metric-fragments';
import { CEREMONIES, CREDENTIAL_STATES, FILTERED_EVENTS, LIVE_AT } from './shared';

export const fallbackCohortWindows = defineQuery({
  name: 'fallback-cohort-windows',
  params: zCoreWindowsParams,
  row: z.object({
    /** 1-based: windowStarts[w − 1]. */
    w: z.number().int().positive(),
    part: z.enum(['reason', 'active']),
    reason: z.string(),
    users: z.number().int().nonnegative(),
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_IN_EVENTS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${CEREMONIES}, ${KEPT_CEREMONIES},
    active_users AS MATERIALIZED (
      SELECT ${WINDOW_OF(sql`timestamp`)} AS w, user_id,
             countIf(auth_method = 'passkey') AS passkey_sign_in_count,
             groupUniqArrayIf(os_name, os_name != '') AS sign_in_oses
      FROM sign_ins
      GROUP BY w, user_id
    ),
    -- H(end of W_i) among A(W_i) — the only holders the cohort asks about — and whether each is a
    -- gap user in W_i: every live credential's OS known and missing from their sign-ins of W_i
    window_holders AS (
      SELECT a.w AS w, a.user_id AS user_id, groupArray(credential_os) AS credential_oses,
             ${CROSS_PLATFORM_GAP(sql`any(a.sign_in_oses)`, sql`credential_oses`)} AS is_gap
      FROM active_users AS a
      INNER JOIN holder_credentials AS h ON h.user_id = a.user_id
      WHERE ${LIVE_AT(WINDOW_END(sql`a.w`))}
      GROUP BY w, user_id
    ),
    failing_users AS (
      SELECT DISTINCT ${WINDOW_OF(sql`started_at`)} AS w, user_id
      FROM kept_ceremonies
      WHERE ${FAILING_CEREMONY}
    ),
    -- joined, not looked up with IN: (window, user) sets cost twice the CPU (docs/performance.md)
    cohort AS (
      SELECT
        a.w AS w,
        ${cohortReason({ noPasskey: sql`h.user_id = ''`, failing: sql`f.user_id != ''`, gap: sql`h.is_gap` })} AS reason
      FROM active_users AS a
      LEFT JOIN window_holders AS h ON h.w = a.w AND h.user_id = a.user_id
      LEFT JOIN failing_users AS f ON f.w = a.w AND f.user_id = a.user_id
      WHERE a.passkey_sign_in_count = 0
    )
    SELECT * FROM (
      SELECT w, 'reason' AS part, reason, count() AS users FROM cohort GROUP BY w, reason
      UNION ALL
      SELECT w, 'active' AS part, '' AS reason, count() AS users FROM active_users GROUP BY w
    )
    ORDER BY w, part, reason
  `.text,
});
