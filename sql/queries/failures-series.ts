/**
 * Failures over time: failed and cancelled ceremonies (the CEREMONIES outcome) per UTC hour or day (in `tz`)
 * of their start, by one dimension. One row per non-empty (bucket, group); the service
 * (lib/metrics/failures-series.ts) fills the empty buckets and folds the small groups. The bucket
 * function and the group column come from allow-lists through `identifier`.
 */
import { z } from 'zod';
import type { FailureSeriesGroup, FailureSeriesInterval } from '@/lib/domain/group-by';
import { defineQuery, type QueryDefinition } from '@/lib/query';
import { identifier, sql } from '@/lib/sql';
import { FAILURE_GROUP_COLUMNS } from './failures-by-group';
import { CEREMONIES, zWindowFilterParams } from './shared';

const BUCKETS: Readonly<Record<FailureSeriesInterval, string>> = {
  hour: 'toStartOfHour(started_at)',
  day: 'toStartOfDay(started_at, {tz:String})',
};

const count = z.number().int().nonnegative();

export const zFailureSeriesRow = z.object({
  bucketMs: z.number().int(),
  groupValue: z.string(),
  failures: count,
  cancellations: count,
});
export type FailureSeriesRow = z.infer<typeof zFailureSeriesRow>;

export function failuresSeries(
  interval: FailureSeriesInterval,
  group: FailureSeriesGroup,
): QueryDefinition<typeof zWindowFilterParams, typeof zFailureSeriesRow> {
  return defineQuery({
    name: 'failures-series',
    params: zWindowFilterParams,
    row: zFailureSeriesRow,
    sql: sql`
      WITH ${CEREMONIES}
      SELECT
        toUnixTimestamp(${identifier(BUCKETS, interval)}) * 1000 AS bucketMs,
        ${identifier(FAILURE_GROUP_COLUMNS, group)} AS groupValue,
        countIf(outcome = 'failure') AS failures,
        countIf(outcome = 'cancelled') AS cancellations
      FROM ceremonies
      WHERE outcome IN ('failure', 'cancelled')
      GROUP BY bucketMs, groupValue
      ORDER BY bucketMs, groupValue
    `.text,
  });
}
