/**
 * The cross-platform gap: of the holders (at `to`) active in the window, those whose every live
 * credential was registered on a known OS family they did not sign in from in the window.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { CROSS_PLATFORM_GAP, HOLDERS_AT_TO, HOLDER_CREDENTIALS, SIGN_INS, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_STATES, FILTERED_EVENTS } from './shared';

export const crossPlatformGap = defineQuery({
  name: 'cross-platform-gap',
  params: zCoreParams,
  row: z.object({ activeHolders: z.number().int().nonnegative(), users: z.number().int().nonnegative() }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO}
    SELECT count() AS activeHolders, countIf(${CROSS_PLATFORM_GAP(sql`a.sign_in_oses`, sql`h.credential_oses`)}) AS users
    FROM active_users AS a
    INNER JOIN holders_at_to AS h ON h.user_id = a.user_id
  `.text,
});
