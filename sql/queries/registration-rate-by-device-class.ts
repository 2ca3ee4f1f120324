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
    active_by_device_class AS (SELECT DISTINCT device_class, user_id FROM sign_ins)
    SELECT
      device_class AS deviceClass,
      count() AS activeUsers,
      countIf(user_id IN (SELECT user_id FROM holders_at_to)) AS holders
    FROM active_by_device_class
    GROUP BY device_class
    ORDER BY activeUsers DESC, deviceClass
  `.text,
});
