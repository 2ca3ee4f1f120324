/** Multi-device coverage: among holders (at `to`) active in the window, those with ≥ 2 live credentials. */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { HOLDERS_AT_TO, HOLDER_CREDENTIALS, MULTI_DEVICE, SIGN_INS, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_STATES, FILTERED_EVENTS } from './shared';

export const multiDeviceCoverage = defineQuery({
  name: 'multi-device-coverage',
  params: zCoreParams,
  row: z.object({
    activeHolders: z.number().int().nonnegative(),
    multiDeviceHolders: z.number().int().nonnegative(),
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO}
    SELECT count() AS activeHolders, countIf(${MULTI_DEVICE(sql`h.live_credentials`)}) AS multiDeviceHolders
    FROM active_users AS a
    INNER JOIN holders_at_to AS h ON h.user_id = a.user_id
  `.text,
});
