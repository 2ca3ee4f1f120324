/**
 * Recovery load (DESIGN.md section 4), for the window and over time, in one pass. For the whole
 * window W (`total` rows, bucket 0): |A(W)| and, per method, the recoveries started in W and what
 * became of them (completion judged as of `to`, as in recovery-flows.ts); the Recovery page derives
 * load = started ÷ |A(W)| × 1,000 ÷ days in W and completion = completed ÷ started, the stage gate
 * and the alert rules take the same rows (`recoveryTotals`).
 *
 * Over time: buckets aligned on `from` and numbered 0, 1, …: bucket i covers
 * [from + i·interval, from + (i+1)·interval) ∩ W. Each bucket's load uses that bucket's own active
 * users (distinct successful sign-ins inside the bucket) and its own length — so a bucket reads like
 * the headline number would for that stretch of time, and short final buckets are not understated.
 * Rows: one per bucket with its active users (`part = 'active'`), one per (bucket, method) with its
 * starts and outcomes (`part = 'method'`). Empty buckets have no row; the route fills them (zero
 * counts, null rates). The window's rows and the buckets' come from the same read (GROUPING SETS).
 * `recoveryLoadTotals` is the same text without the buckets, for callers that want only the window's.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { ACTIVE_SIGN_INS, RECOVERIES } from './recovery-flows';
import { zWindowFilterParams } from './shared';

export const zRecoveryLoadRow = z.object({
  part: z.enum(['active', 'method']),
  /** The whole window (bucket 0), not one bucket. */
  total: z.boolean(),
  bucket: z.number().int().nonnegative(),
  method: z.string(),
  activeUsers: z.number().int().nonnegative(),
  started: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  abandoned: z.number().int().nonnegative(),
});
export type RecoveryLoadRow = z.infer<typeof zRecoveryLoadRow>;

const BUCKET_OF = (column: ReturnType<typeof sql>) =>
  sql`intDiv(toUnixTimestamp64Milli(${column}) - toUnixTimestamp64Milli({from:DateTime64(3, 'UTC')}), {intervalMs:UInt64})`;

/**
 * The query's text, with buckets (`series`) or for the whole window alone: the same rows either way
 * for the window (`total`), only without the second grouping when no bucket is asked for.
 */
function loadSql(series: boolean): string {
  const active = series
    ? { total: sql`toBool(grouping(b))`, bucket: BUCKET_OF(sql`signed_in_at`), groupBy: sql`GROUP BY GROUPING SETS ((b), ())` }
    : { total: sql`true`, bucket: sql`0`, groupBy: sql`` };
  const methods = series
    ? {
        total: sql`toBool(grouping(b))`,
        bucket: BUCKET_OF(sql`started_at`),
        groupBy: sql`GROUP BY GROUPING SETS ((b, recovery_method), (recovery_method))`,
      }
    : { total: sql`true`, bucket: sql`0`, groupBy: sql`GROUP BY recovery_method` };
  return sql`
    WITH ${RECOVERIES}, ${ACTIVE_SIGN_INS}
    SELECT 'active' AS part, ${active.total} AS total, if(total, 0, b) AS bucket, '' AS method,
           uniqExact(active_user) AS activeUsers,
           toUInt64(0) AS started, toUInt64(0) AS completed, toUInt64(0) AS failed, toUInt64(0) AS abandoned
    FROM (SELECT toUInt32(${active.bucket}) AS b, active_user FROM active_sign_ins)
    ${active.groupBy}
    UNION ALL
    SELECT 'method' AS part, ${methods.total} AS total, if(total, 0, b) AS bucket, recovery_method AS method,
           toUInt64(0) AS activeUsers, count() AS started, countIf(outcome = 'completed') AS completed,
           countIf(outcome = 'failed') AS failed, countIf(outcome = 'abandoned') AS abandoned
    FROM (SELECT toUInt32(${methods.bucket}) AS b, method AS recovery_method, outcome FROM recoveries)
    ${methods.groupBy}
  `.text;
}

/** The window's figures and its buckets' (the Recovery page). */
export const recoveryLoad = defineQuery({
  name: 'recovery-load',
  params: zWindowFilterParams.extend({ intervalMs: z.number().int().positive() }),
  row: zRecoveryLoadRow,
  sql: loadSql(true),
});

/** The window's figures alone (the stage gate, the alert rules): the `total` rows of recoveryLoad. */
export const recoveryLoadTotals = defineQuery({
  name: 'recovery-load-totals',
  params: zWindowFilterParams,
  row: zRecoveryLoadRow,
  sql: loadSql(false),
});

/** The whole window's rows: |A(W)| and the recoveries started per method with what became of them. */
export function recoveryTotals(rows: readonly RecoveryLoadRow[]) {
  return {
    activeUsers: rows.find((row) => row.total && row.part === 'active')?.activeUsers ?? 0,
    methods: rows
      .filter((row) => row.total && row.part === 'method')
      .map(({ method, started, completed, failed, abandoned }) => ({ method, started, completed, failed, abandoned })),
  };
}
