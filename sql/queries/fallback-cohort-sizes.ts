/**
 * The fallback-reliant cohort's size per reason (first match: no_passkey, passkey_failing,
 * cross_platform_gap, chooses_fallback; `part` 'reason'), and |A(W)| alongside (`part` 'active',
 * `reason` ''), from the same active users — one query where a cohort and its share need two.
 * Reasons with no user are absent; the caller reports all four.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import {
  FALLBACK_COHORT,
  GAP_USERS,
  HOLDERS_AT_TO,
  HOLDER_CREDENTIALS,
  KEPT_CEREMONIES,
  SIGN_INS,
  zCoreParams,
} from './core-metric-fragments';
import { CEREMONIES, CREDENTIAL_STATES, FILTERED_EVENTS } from './shared';

export const fallbackCohortSizes = defineQuery({
  name: 'fallback-cohort-sizes',
  params: zCoreParams,
  row: z.object({ part: z.enum(['reason', 'active']), reason: z.string(), users: z.number().int().nonnegative() }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO}, ${CEREMONIES}, ${KEPT_CEREMONIES}, ${GAP_USERS}, ${FALLBACK_COHORT}
    SELECT * FROM (
      SELECT 'reason' AS part, reason, count() AS users FROM cohort GROUP BY reason
      UNION ALL
      SELECT 'active' AS part, '' AS reason, count() AS users FROM active_users
    )
    ORDER BY part, reason
  `.text,
});
