/**
 * Stage 4 over time (docs/stage-gates.md "Stage 4 over time"), every week in one pass: for week w,
 * [weekFroms[w], weekTos[w]), as of its end —
 *   - the passkey holders H(end) (a live passkey, from each credential's full history) and those of
 *     them whose password has been removed (an `auth.password.removed` before the end; the
 *     vocabulary has no event that gives a password back, so a removal is final);
 *   - the lock-out blast radius: the holders without a successful passkey sign-in in
 *     [radiusFroms[w], end) — the 28 days before the end (gate-blast-radius.ts, the same rule);
 *   - the removals in the week: events and distinct users.
 * Unfiltered on purpose, as the blast radius: removing passwords is a decision for every account —
 * except for the environments read (`environments`; empty = every environment). Every credential's
 * state is reduced once for all the weeks, not once per week and per measure. One row per week.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { CREDENTIAL_IN_ENVIRONMENT, CREDENTIAL_STATES, ENVIRONMENT_PREDICATE } from './shared';

const FROMS = sql`{weekFroms:Array(DateTime64(3, 'UTC'))}`;
const TOS = sql`{weekTos:Array(DateTime64(3, 'UTC'))}`;
const RADIUS_FROMS = sql`{radiusFroms:Array(DateTime64(3, 'UTC'))}`;
const count = z.number().int().nonnegative();

export const gatePhaseOut = defineQuery({
  name: 'gate-phase-out',
  params: z.object({
    weekFroms: z.array(z.date()).min(1),
    weekTos: z.array(z.date()).min(1),
    radiusFroms: z.array(z.date()).min(1),
    environments: z.array(z.string()),
  }),
  row: z.object({
    /** 1-based: weekTos[w − 1]. */
    w: z.number().int().positive(),
    holders: count,
    holdersWithoutPassword: count,
    atRisk: count,
    removals: count,
    usersRemoving: count,
  }),
  sql: sql`
    WITH ${CREDENTIAL_STATES},
    -- each holder once, with their credentials' lifetimes: live at a week's end is looked up per
    -- user (one row per user, not per user and week, keeps the memory to the users')
    holder_lifetimes AS (
      SELECT user_id, groupArray((registered_at, deleted_at)) AS lifetimes
      FROM credential_states
      WHERE user_id != '' AND ${CREDENTIAL_IN_ENVIRONMENT}
      GROUP BY user_id
    ),
    -- read by first_removals and week_removals: read once
    removal_events AS MATERIALIZED (
      SELECT user_id, timestamp
      FROM ceremony_events
      WHERE event_name = 'auth.password.removed' AND user_id != ''
        AND timestamp < arrayMax(${TOS})
        AND ${ENVIRONMENT_PREDICATE}
    ),
    first_removals AS (SELECT user_id, min(timestamp) AS first_at FROM removal_events GROUP BY user_id),
    week_removals AS (
      SELECT w, count() AS removals, uniqExact(user_id) AS users_removing
      FROM removal_events
      ARRAY JOIN arrayEnumerate(${TOS}) AS w
      WHERE timestamp >= ${FROMS}[w] AND timestamp < ${TOS}[w]
      GROUP BY w
    ),
    passkey_sign_ins AS (
      SELECT user_id, groupArray(timestamp) AS times
      FROM ceremony_events
      WHERE event_name = 'auth.sign_in' AND result = 'success' AND auth_method = 'passkey'
        AND timestamp >= arrayMin(${RADIUS_FROMS}) AND timestamp < arrayMax(${TOS})
        AND ${ENVIRONMENT_PREDICATE}
      GROUP BY user_id
    ),
    -- a missing row of a LEFT JOIN reads as '' / an empty array; live at t: registered at or
    -- before t and not deleted before t (LIVE_AT)
    week_holders AS (
      SELECT w, count() AS holders,
             countIf(removed AND first_removal < ${TOS}[w]) AS without_password,
             countIf(NOT arrayExists(t -> t >= ${RADIUS_FROMS}[w] AND t < ${TOS}[w], passkey_times)) AS at_risk
      FROM (
        SELECT h.lifetimes AS lifetimes, r.user_id != '' AS removed, r.first_at AS first_removal, p.times AS passkey_times
        FROM holder_lifetimes AS h
        LEFT JOIN first_removals AS r ON r.user_id = h.user_id
        LEFT JOIN passkey_sign_ins AS p ON p.user_id = h.user_id
      )
      ARRAY JOIN arrayEnumerate(${TOS}) AS w
      WHERE arrayExists(l -> l.1 <= ${TOS}[w] AND (l.2 IS NULL OR l.2 >= ${TOS}[w]), lifetimes)
      GROUP BY w
    )
    SELECT n.w AS w, h.holders AS holders, h.without_password AS holdersWithoutPassword, h.at_risk AS atRisk,
           m.removals AS removals, m.users_removing AS usersRemoving
    FROM (SELECT arrayJoin(arrayEnumerate(${TOS})) AS w) AS n
    LEFT JOIN week_holders AS h ON h.w = n.w
    LEFT JOIN week_removals AS m ON m.w = n.w
    ORDER BY w
  `.text,
});
