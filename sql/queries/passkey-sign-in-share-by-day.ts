/**
 * The passkey sign-in share per day (in the zone `tz`) of the window (days without sign-ins are
 * filled by the caller). Passkey sign-in share = successful auth.sign_in with auth.method=passkey /
 * all successful auth.sign_in; the window's share is the sum of its days' counts (every sign-in of
 * the window falls on one of them), so the Sign-in page asks this query alone.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { SIGN_INS, zCoreParams } from './core-metric-fragments';
import { FILTERED_EVENTS } from './shared';

const zSignInShareCounts = z.object({
  successfulSignIns: z.number().int().nonnegative(),
  passkeySignIns: z.number().int().nonnegative(),
});

export const passkeySignInShareByDay = defineQuery({
  name: 'passkey-sign-in-share-by-day',
  params: zCoreParams,
  row: zSignInShareCounts.extend({ day: z.string() }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}
    SELECT
      toString(toDate(timestamp, {tz:String})) AS day,
      count() AS successfulSignIns,
      countIf(auth_method = 'passkey') AS passkeySignIns
    FROM sign_ins
    GROUP BY day
    ORDER BY day
  `.text,
});
