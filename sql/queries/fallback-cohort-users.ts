/**
 * The fallback-reliant cohort's users (all reasons, or one), a page at a time, ordered by reason
 * (first-match order) then user id, so pages are stable. Each row carries `total`, the users of the
 * reason asked (all pages): the page and the count in one pass over the cohort. A page past the
 * end has no row to carry it.
 */
import { z } from 'zod';
import { FALLBACK_COHORT_REASONS } from '@/lib/domain/fallback-cohort';
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

export const fallbackCohortUsers = defineQuery({
  name: 'fallback-cohort-users',
  params: zCoreParams.extend({
    reason: z.string(),
    limit: z.number().int().min(1).max(100_000),
    offset: z.number().int().min(0),
  }),
  row: z.object({
    userId: z.string(),
    reason: z.enum(FALLBACK_COHORT_REASONS),
    signIns: z.number().int().nonnegative(),
    lastSignInAt: z.string(),
    methods: z.array(z.string()),
    total: z.number().int().nonnegative(),
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO}, ${CEREMONIES}, ${KEPT_CEREMONIES}, ${GAP_USERS}, ${FALLBACK_COHORT}
    SELECT
      user_id AS userId,
      reason,
      sign_in_count AS signIns,
      last_sign_in_at AS lastSignInAt,
      methods,
      count() OVER () AS total
    FROM cohort
    WHERE {reason:String} = 'all' OR reason = {reason:String}
    ORDER BY indexOf(['no_passkey', 'passkey_failing', 'cross_platform_gap', 'chooses_fallback'], reason), userId
    LIMIT {limit:UInt32} OFFSET {offset:UInt64}
  `.text,
});
