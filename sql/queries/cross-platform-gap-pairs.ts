/**
 * The cross-platform gap by (credential OS, sign-in OS): for each pair, the gap users with a live
 * credential registered on the first and a sign-in in the window from the second. A user with
 * several credentials or sign-in OSes appears in several pairs.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { GAP_USERS, HOLDERS_AT_TO, HOLDER_CREDENTIALS, SIGN_INS, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_STATES, FILTERED_EVENTS } from './shared';

export const crossPlatformGapPairs = defineQuery({
  name: 'cross-platform-gap-pairs',
  params: zCoreParams,
  row: z.object({ credentialOs: z.string(), signInOs: z.string(), users: z.number().int().nonnegative() }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO}, ${GAP_USERS}
    SELECT credential_os AS credentialOs, sign_in_os AS signInOs, uniqExact(user_id) AS users
    FROM gap_users
    ARRAY JOIN credential_oses AS credential_os
    ARRAY JOIN sign_in_oses AS sign_in_os
    GROUP BY credentialOs, signInOs
    ORDER BY users DESC, credentialOs, signInOs
  `.text,
});
