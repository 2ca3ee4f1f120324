/**
 * Registration rate per device class d = |A_d(W) ∩ H(to)| / |A_d(W)|: of the users with a
 * successful sign-in on d in the window, those holding a passkey at `to` (`holders`).
 * The rate is computed by the caller (lib/metrics/rates.ts) so a zero denominator is null.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { HOLDERS_AT_TO, HOLDER_CREDENTIALS, SIGN_INS, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_STATES, FILTERED_EVENTS } from './shared';

export const registrationRateByDeviceClass = defineQuery({
  name: 'registration-rate-by-device-class',
  params: zCoreParams,
  row: z.object({
    deviceClass: z.string(),
    activeUsers: z.number().int().nonnegative(),
    holders: z.number().int().nonnegative(),
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO},
    -- each active user once, with the device classes they signed in on and whether they hold a
    -- passkey at to (one join per user, not a set lookup per user and class: docs/performance.md,
    -- "Registration in one pass")
    active_users_by_class AS (
      SELECT u.device_classes AS device_classes, h.user_id != '' AS holder
      FROM (SELECT user_id, groupUniqArray(device_class) AS device_classes FROM sign_ins GROUP BY user_id) AS u
      LEFT JOIN holders_at_to AS h ON h.user_id = u.user_id
    )
    SELECT device_class AS deviceClass, count() AS activeUsers, countIf(holder) AS holders
    FROM active_users_by_class
    ARRAY JOIN device_classes AS device_class
    GROUP BY device_class
    ORDER BY activeUsers DESC, deviceClass
  `.text,
});
