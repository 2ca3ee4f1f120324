/**
 * GET /api/v1/failures/series (docs/metrics.md, "Failures over time"): the rows of
 * sql/queries/failures-series.ts turned into every UTC bucket of the window (empty ones as zeros)
 * with the `top` largest groups kept and the rest folded into OTHER_GROUP.
 */
import 'server-only';
import { OTHER_GROUP, type FailureSeriesGroup, type FailureSeriesInterval, type FailuresSeriesResponse } from '@/lib/contracts/failures';
import type { Filters } from '@/lib/api/params';
import { runQuery } from '@/lib/query';
import { failuresSeries, type FailureSeriesRow } from '@/sql/queries/failures-series';
import { windowFilterParams } from '@/sql/queries/shared';
import { DEFAULT_TIME_ZONE, startOfLocalDate, zoneDays } from '@/lib/domain/time-zone';
import { BUCKET_MS, bucketStarts } from './time-buckets';
import { windowEcho } from './windows';
import { byCountThenName } from './ranking';

export interface FailuresSeriesQuery {
  from: Date;
  to: Date;
  /** The zone of day buckets (hour buckets are UTC hours); UTC when absent. */
  tz?: string;
  interval: FailureSeriesInterval;
  groupBy: FailureSeriesGroup;
  top: number;
}

type Series = Pick<FailuresSeriesResponse, 'groups' | 'otherGroups' | 'buckets'>;

/** Pure: rows → filled buckets and folded groups (unit-tested on its own). */
export function foldFailureSeries(rows: readonly FailureSeriesRow[], query: Omit<FailuresSeriesQuery, 'groupBy'>): Series {
  const totals = new Map<string, { failures: number; cancellations: number }>();
  for (const row of rows) {
    const total = totals.get(row.groupValue) ?? { failures: 0, cancellations: 0 };
    total.failures += row.failures;
    total.cancellations += row.cancellations;
    totals.set(row.groupValue, total);
  }
  const ranked = [...totals].sort(
    byCountThenName(
      ([, t]) => t.failures + t.cancellations,
      ([name]) => name,
    ),
  );
  const kept = new Set(ranked.slice(0, query.top).map(([value]) => value));
  const folded = ranked.slice(query.top);
  const groups: Series['groups'] = ranked.slice(0, query.top).map(([value, total]) => ({ value, ...total }));
  if (folded.length > 0) {
    groups.push({
      value: OTHER_GROUP,
      failures: folded.reduce((sum, [, total]) => sum + total.failures, 0),
      cancellations: folded.reduce((sum, [, total]) => sum + total.cancellations, 0),
    });
  }

  const from = query.from.getTime();
  const to = query.to.getTime();
  // Day buckets begin at local midnight in the zone (23 or 25 hours long across a clock change).
  const starts =
    query.interval === 'day'
      ? zoneDays(from, to, query.tz ?? DEFAULT_TIME_ZONE).map((day) => startOfLocalDate(day, query.tz ?? DEFAULT_TIME_ZONE))
      : bucketStarts({ from: query.from.toISOString(), to: query.to.toISOString(), interval: query.interval });
  const buckets: Series['buckets'] = starts.map((start, i) => ({
    start: new Date(Math.max(start, from)).toISOString(),
    end: new Date(Math.min(starts[i + 1] ?? start + BUCKET_MS[query.interval], to)).toISOString(),
    failures: 0,
    cancellations: 0,
    byGroup: {},
  }));
  const byStart = new Map(starts.map((start, i) => [start, buckets[i]!]));
  for (const row of rows) {
    const bucket = byStart.get(row.bucketMs);
    if (!bucket) continue;
    const group = kept.has(row.groupValue) ? row.groupValue : OTHER_GROUP;
    const counts = (bucket.byGroup[group] ??= { failures: 0, cancellations: 0 });
    counts.failures += row.failures;
    counts.cancellations += row.cancellations;
    bucket.failures += row.failures;
    bucket.cancellations += row.cancellations;
  }
  return { groups, otherGroups: folded.length, buckets };
}

export async function failuresSeriesResponse(query: FailuresSeriesQuery & Filters): Promise<FailuresSeriesResponse> {
  const rows = await runQuery(failuresSeries(query.interval, query.groupBy), windowFilterParams(query, query));
  return { ...windowEcho(query, query), interval: query.interval, groupBy: query.groupBy, ...foldFailureSeries(rows, query) };
}
