/**
 * Recovery load over time. Buckets are aligned on `from` and numbered 0, 1, …: bucket i covers
 * [from + i·interval, from + (i+1)·interval) ∩ W. Each bucket's load uses that bucket's own active
 * users (distinct successful sign-ins inside the bucket) and its own length — so a bucket reads like
 * the headline number would for that stretch of time, and short final buckets are not understated.
 * Rows: one per bucket with its active users (method ''), and one per (bucket, method) with starts
 * and completions (completion judged as of `to`, as in recovery-flows.ts). Empty buckets have no
 * row; the route fills them (zero counts, null rates).
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { ACTIVE_SIGN_INS, RECOVERIES } from './recovery-flows';
import { zWindowFilterParams } from './shared';

export const zRecoveryLoadSeriesRow = z.object({
  bucket: z.number().int().nonnegative(),
  method: z.string(),
  activeUsers: z.number().int().nonnegative(),
  started: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
});
export type RecoveryLoadSeriesRow = z.infer<typeof zRecoveryLoadSeriesRow>;

const BUCKET_OF = (column: ReturnType<typeof sql>) =>
  sql`intDiv(toUnixTimestamp64Milli(${column}) - toUnixTimestamp64Milli({from:DateTime64(3, 'UTC')}), {intervalMs:UInt64})`;

export const recoveryLoadSeries = defineQuery({
  name: 'recovery-load-series',
  params: zWindowFilterParams.extend({ intervalMs: z.number().int().positive() }),
  row: zRecoveryLoadSeriesRow,
  sql: sql`
    WITH ${RECOVERIES}, ${ACTIVE_SIGN_INS}
    SELECT toUInt32(${BUCKET_OF(sql`signed_in_at`)}) AS bucket, '' AS method,
           uniqExact(active_user) AS activeUsers, toUInt64(0) AS started, toUInt64(0) AS completed
    FROM active_sign_ins
    GROUP BY bucket
    UNION ALL
    SELECT toUInt32(${BUCKET_OF(sql`started_at`)}) AS bucket, method,
           toUInt64(0) AS activeUsers, count() AS started, countIf(outcome = 'completed') AS completed
    FROM recoveries
    GROUP BY bucket, method
  `.text,
});
