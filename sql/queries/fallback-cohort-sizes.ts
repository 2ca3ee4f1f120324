/**
 * The fallback-reliant cohort's size per reason (first match: no_passkey, passkey_failing,
 * cross_platform_gap, chooses_fallback), with |A(W)| alongside. Reasons with no user are absent;
 * the caller reports all four.
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
  row: z.object({ reason: z.string(), users: z.number().int().nonnegative() }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO}, ${CEREMONIES}, ${KEPT_CEREMONIES}, ${GAP_USERS}, ${FALLBACK_COHORT}
    SELECT reason, count() AS users
    FROM cohort
    GROUP BY reason
    ORDER BY reason
  `.text,
});
