/**
 * High-risk coverage (stage gate 4 → 5): the active users of the window (bind riskTiers = ['high'])
 * and how many of them hold, at `to`, at least one / at least two live attested device-bound
 * passkeys — credential kind `device_bound` (BE = 0) with an attestation statement (format not
 * '' or 'none'). Any of the user's credentials counts, whatever it was registered with.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { SIGN_INS, TO, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_IN_ENVIRONMENT, CREDENTIAL_STATES, FILTERED_EVENTS, LIVE_AT } from './shared';

const count = z.number().int().nonnegative();

/** Live attested device-bound credentials per user at `to` (registered in the environments read). Needs CREDENTIAL_STATES. */
export const ATTESTED_DEVICE_BOUND = sql`
  attested_device_bound AS (
    SELECT user_id, count() AS attested_credentials
    FROM credential_states
    WHERE ${LIVE_AT(TO)}
      AND ifNull(credential_kind, '') = 'device_bound'
      AND ifNull(attestation_format, '') NOT IN ('', 'none')
      AND ${CREDENTIAL_IN_ENVIRONMENT}
    GROUP BY user_id
  )`;

export const gateHighRiskCredentials = defineQuery({
  name: 'gate-high-risk-credentials',
  params: zCoreParams,
  row: z.object({ activeUsers: count, withAttested: count, withTwoAttested: count }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${ATTESTED_DEVICE_BOUND}
    SELECT
      count() AS activeUsers,
      countIf(c.attested_credentials >= 1) AS withAttested,
      countIf(c.attested_credentials >= 2) AS withTwoAttested
    FROM active_users AS a
    LEFT JOIN attested_device_bound AS c ON c.user_id = a.user_id
  `.text,
});
