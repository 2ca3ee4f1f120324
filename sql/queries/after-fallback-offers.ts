/**
 * After a fallback sign-in (docs/metrics.md, "Offers after a fallback sign-in"): the successful
 * sign-ins in the window by a method other than `passkey`, on a device class where the user held no
 * live passkey at that moment; per device class, how many were followed — by the same user on the
 * same device class — by a passkey offer (`passkey.upsell` shown) within 30 minutes (the session),
 * and by a successful passkey registration within an hour. Follow-ups are read up to an hour past
 * `to`, so a sign-in near the window's end is not cut short. One row per device class, most sign-ins
 * first, then the total.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { CREDENTIAL_STATES, FILTER_PREDICATE, FILTERED_EVENTS, zWindowFilterParams } from './shared';

const zCount = z.number().int().nonnegative();
/** The session an offer must fall in, and the time a registration may take (written into the SQL below). */
export const OFFER_WITHIN_MINUTES = 30;
export const REGISTRATION_WITHIN_MINUTES = 60;

export const afterFallbackOffers = defineQuery({
  name: 'after-fallback-offers',
  params: zWindowFilterParams,
  row: z.object({
    /** `class`: one device class; `total`: every device class together (a user counted once). */
    part: z.enum(['class', 'total']),
    deviceClass: z.string(),
    signIns: zCount,
    users: zCount,
    offered: zCount,
    registered: zCount,
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${CREDENTIAL_STATES},
    fallback_sign_ins AS MATERIALIZED (
      SELECT user_id, device_class, timestamp
      FROM filtered
      WHERE event_name = 'auth.sign_in' AND result = 'success' AND user_id != '' AND auth_method != 'passkey'
    ),
    user_credentials AS (
      SELECT user_id, groupArray((ifNull(device_class, ''), registered_at, deleted_at)) AS credentials
      FROM credential_states
      WHERE user_id IN (SELECT user_id FROM fallback_sign_ins)
      GROUP BY user_id
    ),
    without_passkey_here AS MATERIALIZED (
      SELECT s.user_id AS user_id, s.device_class AS device_class, s.timestamp AS timestamp
      FROM fallback_sign_ins AS s
      LEFT JOIN user_credentials AS c ON c.user_id = s.user_id
      WHERE NOT arrayExists(
        credential -> credential.1 = s.device_class AND credential.2 <= s.timestamp AND (isNull(credential.3) OR credential.3 >= s.timestamp),
        c.credentials)
    ),
    follow_ups AS (
      SELECT user_id, device_class, timestamp, event_name
      FROM ceremony_events
      WHERE timestamp >= {from:DateTime64(3, 'UTC')}
        AND timestamp < {to:DateTime64(3, 'UTC')} + INTERVAL 60 MINUTE
        AND ${FILTER_PREDICATE}
        AND ((event_name = 'passkey.upsell' AND upsell_outcome = 'shown') OR (event_name = 'passkey.registration' AND result = 'success'))
        AND user_id IN (SELECT user_id FROM without_passkey_here)
    ),
    -- each user × device class's follow-up times as two arrays: every sign-in looks in its own
    -- user's arrays, instead of joining a row per follow-up and grouping them again
    follow_up_times AS (
      SELECT user_id, device_class,
             groupArrayIf(timestamp, event_name = 'passkey.upsell') AS offers,
             groupArrayIf(timestamp, event_name = 'passkey.registration') AS registrations
      FROM follow_ups
      GROUP BY user_id, device_class
    ),
    per_sign_in AS (
      SELECT
        w.user_id AS user_id,
        w.device_class AS device_class,
        arrayExists(t -> t >= w.timestamp AND t < w.timestamp + INTERVAL 30 MINUTE, f.offers) AS was_offered,
        arrayExists(t -> t >= w.timestamp AND t < w.timestamp + INTERVAL 60 MINUTE, f.registrations) AS did_register
      FROM without_passkey_here AS w
      LEFT JOIN follow_up_times AS f ON f.user_id = w.user_id AND f.device_class = w.device_class
    )
    -- one pass: a row per device class and the total over all of them
    SELECT if(grouping(device_class) = 0, 'class', 'total') AS part,
           if(part = 'class', device_class, '') AS deviceClass,
           count() AS signIns, uniqExact(user_id) AS users,
           countIf(was_offered) AS offered, countIf(did_register) AS registered
    FROM per_sign_in
    GROUP BY GROUPING SETS ((device_class), ())
    ORDER BY part, signIns DESC, deviceClass
  `.text,
});
