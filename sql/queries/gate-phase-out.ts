/**
 * Stage 4 over time, one point (docs/stage-gates.md "Stage 4 over time"): as of `to`, the passkey
 * holders H(to) (a live passkey, from each credential's full history) and those of them whose
 * password has been removed (an `auth.password.removed` before `to`; the vocabulary has no
 * event that gives a password back, so a removal is final); and the removals in [from, to) — events
 * and distinct users. Unfiltered on purpose, as the blast radius: removing passwords is a decision
 * for every account — except for the environments read (`environments`; empty = every environment).
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { TO } from './core-metric-fragments';
import { zBlastRadiusParams } from './gate-blast-radius';
import { CREDENTIAL_IN_ENVIRONMENT, CREDENTIAL_STATES, ENVIRONMENT_PREDICATE, LIVE_AT } from './shared';

export const gatePhaseOut = defineQuery({
  name: 'gate-phase-out',
  params: zBlastRadiusParams,
  row: z.object({
    holders: z.number().int().nonnegative(),
    holdersWithoutPassword: z.number().int().nonnegative(),
    removals: z.number().int().nonnegative(),
    usersRemoving: z.number().int().nonnegative(),
  }),
  sql: sql`
    WITH ${CREDENTIAL_STATES},
    holders AS (
      SELECT DISTINCT user_id
      FROM credential_states
      WHERE ${LIVE_AT(TO)} AND user_id != '' AND ${CREDENTIAL_IN_ENVIRONMENT}
    ),
    removals AS (
      SELECT user_id, countIf(timestamp >= {from:DateTime64(3, 'UTC')}) AS in_window
      FROM ceremony_events
      WHERE event_name = 'auth.password.removed' AND user_id != ''
        AND timestamp < ${TO}
        AND ${ENVIRONMENT_PREDICATE}
      GROUP BY user_id
    )
    SELECT
      toUInt64((SELECT count() FROM holders)) AS holders,
      toUInt64((SELECT count() FROM holders WHERE user_id IN (SELECT user_id FROM removals))) AS holdersWithoutPassword,
      toUInt64((SELECT sum(in_window) FROM removals)) AS removals,
      toUInt64((SELECT countIf(in_window > 0) FROM removals)) AS usersRemoving
  `.text,
});
