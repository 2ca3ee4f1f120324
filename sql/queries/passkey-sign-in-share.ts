/** Passkey sign-in share = successful auth.sign_in with auth.method=passkey / all successful auth.sign_in. */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { SIGN_INS, zCoreParams } from './core-metric-fragments';
import { FILTERED_EVENTS } from './shared';

export const zSignInShareCounts = z.object({
  successfulSignIns: z.number().int().nonnegative(),
  passkeySignIns: z.number().int().nonnegative(),
});

export const passkeySignInShare = defineQuery({
  name: 'passkey-sign-in-share',
  params: zCoreParams,
  row: zSignInShareCounts,
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}
    SELECT count() AS successfulSignIns, countIf(auth_method = 'passkey') AS passkeySignIns
    FROM sign_ins
  `.text,
});
