/**
 * Passkey authentication ceremonies per device class (shared CEREMONIES outcome), with the same
 * tallies restricted to users who held a passkey at ceremony time.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import {
  AUTH_CEREMONIES_WITH_HOLDER,
  HOLDER_CREDENTIALS,
  KEPT_CEREMONIES,
  OUTCOME_COUNTS,
  zCoreParams,
  zOutcomeCounts,
} from './core-metric-fragments';
import { CEREMONIES, CREDENTIAL_STATES } from './shared';

const count = z.number().int().nonnegative();

export const authenticationCeremoniesByDeviceClass = defineQuery({
  name: 'authentication-ceremonies-by-device-class',
  params: zCoreParams,
  row: zOutcomeCounts.extend({
    deviceClass: z.string(),
    holderSuccesses: count,
    holderFailures: count,
    holderCancellations: count,
  }),
  sql: sql`
    WITH ${CEREMONIES}, ${CREDENTIAL_STATES}, ${KEPT_CEREMONIES}, ${HOLDER_CREDENTIALS}, ${AUTH_CEREMONIES_WITH_HOLDER}
    SELECT
      if(device_class = '', 'other', device_class) AS deviceClass,
      ${OUTCOME_COUNTS},
      countIf(is_holder AND outcome = 'success') AS holderSuccesses,
      countIf(is_holder AND outcome = 'failure') AS holderFailures,
      countIf(is_holder AND outcome = 'cancelled') AS holderCancellations
    FROM auth_ceremonies_with_holder
    GROUP BY deviceClass
    ORDER BY successes + failures + cancellations DESC, deviceClass
  `.text,
});
