/**
 * The stage-4 lock-out blast radius (DESIGN.md section 5): holders at `to` (a live passkey, from
 * each credential's full history, active or not) who, if passwords were removed now, would have no
 * device class on which they signed in with a passkey in [from, to) — the lookback, 28 days. A
 * holder is safe when any successful `auth.sign_in` with `auth.method=passkey` in the lookback is
 * theirs; everyone else is at risk (password-only holders and dormant holders alike).
 *
 * Each holder is placed in one device class, so the classes add up to the total: the class of
 * their most recent successful sign-in in the lookback (any method — where they will next meet the
 * password-less login), or 'none' when they did not sign in at all in it.
 * Unfiltered on purpose — removing passwords is a decision for every account — except for the
 * environments read (`environments`: DEFAULT_ENVIRONMENT, or the request's `environment`), so a
 * staging passkey or sign-in never counts for production; empty = every environment.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { TO } from './core-metric-fragments';
import { CREDENTIAL_IN_ENVIRONMENT, CREDENTIAL_STATES, ENVIRONMENT_PREDICATE, LIVE_AT } from './shared';

export const zBlastRadiusParams = z.object({ from: z.date(), to: z.date(), environments: z.array(z.string()) });

/** One row per holder at `to` with `at_risk`, their placement and evidence. Needs nothing else. */
export const BLAST_RADIUS_HOLDERS = sql`
  ${CREDENTIAL_STATES},
  live_holders AS (
    SELECT user_id, count() AS live_credentials,
           arraySort(groupUniqArray(ifNull(nullIf(device_class, ''), 'other'))) AS credential_device_classes
    FROM credential_states
    WHERE ${LIVE_AT(TO)} AND user_id != '' AND ${CREDENTIAL_IN_ENVIRONMENT}
    GROUP BY user_id
  ),
  holder_sign_ins AS (
    SELECT user_id,
           max(timestamp) AS last_sign_in_at,
           argMax(if(device_class = '', 'other', toString(device_class)), timestamp) AS last_device_class,
           argMax(toString(auth_method), timestamp) AS last_method,
           countIf(auth_method = 'passkey') AS passkey_sign_ins
    FROM ceremony_events
    WHERE event_name = 'auth.sign_in' AND result = 'success'
      AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND ${ENVIRONMENT_PREDICATE}
    -- every user's, not only the holders' (the join below keeps those): a set of nearly every user
    -- costs more in the primary key analysis than it saves (docs/performance.md, "The blast radius
    -- without a set of every holder")
    GROUP BY user_id
  ),
  blast_radius_holders AS (
    SELECT
      h.user_id AS user_id,
      h.live_credentials AS live_credentials,
      h.credential_device_classes AS credential_device_classes,
      s.user_id != '' AS signed_in,
      if(signed_in, s.last_device_class, 'none') AS device_class,
      if(signed_in, toNullable(s.last_sign_in_at), NULL) AS last_sign_in_at,
      if(signed_in, toNullable(s.last_method), NULL) AS last_method,
      NOT (signed_in AND s.passkey_sign_ins > 0) AS at_risk
    FROM live_holders AS h
    LEFT JOIN holder_sign_ins AS s ON s.user_id = h.user_id
  )`;

export const gateBlastRadius = defineQuery({
  name: 'gate-blast-radius',
  params: zBlastRadiusParams,
  row: z.object({
    deviceClass: z.string(),
    holders: z.number().int().nonnegative(),
    atRisk: z.number().int().nonnegative(),
  }),
  sql: sql`
    WITH ${BLAST_RADIUS_HOLDERS}
    SELECT device_class AS deviceClass, count() AS holders, countIf(at_risk) AS atRisk
    FROM blast_radius_holders
    GROUP BY deviceClass
    ORDER BY atRisk DESC, holders DESC, deviceClass
  `.text,
});
