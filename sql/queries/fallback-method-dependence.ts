/**
 * Dependence on each fallback method (docs/metrics.md, "Dependence on fallback methods"): of the
 * active users A(W), per sign-in method other than `passkey`, those who signed in with it in the
 * window (`users`), those who signed in with nothing else (`onlyMethod`), those with no live
 * passkey at `to` registered on any device class they signed in from in the window
 * (`withoutPasskeyOnTheirDevices`), and those holding no live passkey at all (`withoutAnyPasskey`).
 * One row per method (`part` = 'method'), most users first, and one row with |A(W)| itself (`part` =
 * 'active', in `users`): the denominator comes from the same sign-ins, not from a second query.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { HOLDER_CREDENTIALS, SIGN_INS, TO, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_STATES, FILTERED_EVENTS, LIVE_AT } from './shared';

const zCount = z.number().int().nonnegative();

export const fallbackMethodDependence = defineQuery({
  name: 'fallback-method-dependence',
  params: zCoreParams,
  row: z.object({
    part: z.enum(['method', 'active']),
    method: z.string(),
    users: zCount,
    onlyMethod: zCount,
    withoutPasskeyOnTheirDevices: zCount,
    withoutAnyPasskey: zCount,
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS},
    live AS (
      SELECT user_id, groupUniqArray(credential_device_class) AS live_classes
      FROM holder_credentials
      WHERE ${LIVE_AT(TO)}
      GROUP BY user_id
    ),
    users AS MATERIALIZED (
      SELECT
        s.user_id AS user_id,
        s.methods AS methods,
        NOT hasAny(l.live_classes, s.classes) AS stranded,
        l.user_id = '' AS no_passkey
      FROM (
        SELECT user_id, groupUniqArray(auth_method) AS methods, groupUniqArray(device_class) AS classes
        FROM sign_ins
        GROUP BY user_id
      ) AS s
      LEFT JOIN live AS l ON l.user_id = s.user_id
    )
    SELECT * FROM (
      SELECT
        'method' AS part,
        method,
        count() AS users,
        countIf(length(methods) = 1) AS onlyMethod,
        countIf(stranded) AS withoutPasskeyOnTheirDevices,
        countIf(no_passkey) AS withoutAnyPasskey
      FROM users
      ARRAY JOIN methods AS method
      WHERE method != 'passkey'
      GROUP BY method
      UNION ALL
      SELECT 'active' AS part, '' AS method, count() AS users, 0 AS onlyMethod, 0 AS withoutPasskeyOnTheirDevices, 0 AS withoutAnyPasskey
      FROM users
    )
    ORDER BY part DESC, users DESC, method
  `.text,
});
