/**
 * /api/v1/failures/series without storage: the query's parameters (interval, groupBy, top, the
 * bucket cap) and the fold of the query's rows into every bucket of the window with the top groups.
 */
import { describe, expect, it } from 'vitest';
import { MAX_SERIES_BUCKETS, OTHER_GROUP, zFailuresSeriesQuery } from '@/lib/contracts/failures';
import { foldFailureSeries } from '@/lib/metrics/failures-series';

const from = new Date('2026-11-02T10:30:00Z');
const to = new Date('2026-11-02T14:00:00Z');
const at = (iso: string) => Date.parse(iso);

describe('the failures series query', () => {
  it('defaults to day buckets by reason, the 8 largest groups', () => {
    const parsed = zFailuresSeriesQuery.parse({});
    expect([parsed.interval, parsed.groupBy, parsed.top]).toEqual(['day', 'reason', 8]);
  });

  it('refuses more than the bucket cap with a 400 naming interval, and unknown values', () => {
    const tooMany = zFailuresSeriesQuery.safeParse({ interval: 'hour', from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues[0]?.path).toEqual(['interval']);
    expect(tooMany.error?.issues[0]?.message).toContain(`at most ${MAX_SERIES_BUCKETS} buckets`);
    expect(zFailuresSeriesQuery.safeParse({ interval: 'hour', from: '2026-01-01T00:00:00Z', to: '2026-02-11T00:00:00Z' }).success).toBe(
      true,
    );
    for (const bad of [{ interval: 'week' }, { groupBy: 'os' }, { top: '0' }, { top: '21' }, { top: 'x' }]) {
      expect(zFailuresSeriesQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('foldFailureSeries', () => {
  it('gives every UTC bucket overlapping the window, clipped to it, empty ones as zeros', () => {
    const series = foldFailureSeries([{ bucketMs: at('2026-11-02T12:00:00Z'), groupValue: 'timeout', failures: 2, cancellations: 1 }], {
      from,
      to,
      interval: 'hour',
      top: 8,
    });
    expect(series.buckets.map((bucket) => [bucket.start, bucket.end, bucket.failures, bucket.cancellations])).toEqual([
      ['2026-11-02T10:30:00.000Z', '2026-11-02T11:00:00.000Z', 0, 0],
      ['2026-11-02T11:00:00.000Z', '2026-11-02T12:00:00.000Z', 0, 0],
      ['2026-11-02T12:00:00.000Z', '2026-11-02T13:00:00.000Z', 2, 1],
      ['2026-11-02T13:00:00.000Z', '2026-11-02T14:00:00.000Z', 0, 0],
    ]);
    expect(series.buckets[2]!.byGroup).toEqual({ timeout: { failures: 2, cancellations: 1 } });
    expect(series.groups).toEqual([{ value: 'timeout', failures: 2, cancellations: 1 }]);
    expect(series.otherGroups).toBe(0);
  });

  it('day buckets begin at local midnight in tz, 23 hours long on the day the clocks go forward', () => {
    const series = foldFailureSeries(
      [
        // 2026-03-28 23:30 UTC is 00:30 on 29 March in Berlin: that local day's bucket starts 23:00 UTC
        { bucketMs: at('2026-03-28T23:00:00Z'), groupValue: 'timeout', failures: 1, cancellations: 0 },
        { bucketMs: at('2026-03-29T22:00:00Z'), groupValue: 'timeout', failures: 0, cancellations: 2 },
      ],
      { from: new Date('2026-03-28T12:00:00Z'), to: new Date('2026-03-30T12:00:00Z'), tz: 'Europe/Berlin', interval: 'day', top: 8 },
    );
    expect(series.buckets.map((bucket) => [bucket.start, bucket.end, bucket.failures, bucket.cancellations])).toEqual([
      ['2026-03-28T12:00:00.000Z', '2026-03-28T23:00:00.000Z', 0, 0],
      ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', 1, 0],
      ['2026-03-29T22:00:00.000Z', '2026-03-30T12:00:00.000Z', 0, 2],
    ]);
  });

  it('keeps the top groups by failed + cancelled ceremonies (ties by value) and folds the rest into one', () => {
    const rows = [
      { bucketMs: at('2026-11-02T10:00:00Z'), groupValue: 'a', failures: 1, cancellations: 0 },
      { bucketMs: at('2026-11-02T10:00:00Z'), groupValue: 'b', failures: 3, cancellations: 0 },
      { bucketMs: at('2026-11-02T11:00:00Z'), groupValue: 'c', failures: 0, cancellations: 3 },
      { bucketMs: at('2026-11-02T11:00:00Z'), groupValue: 'd', failures: 1, cancellations: 1 },
      { bucketMs: at('2026-11-02T13:00:00Z'), groupValue: '', failures: 1, cancellations: 0 },
    ];
    const series = foldFailureSeries(rows, { from, to, interval: 'hour', top: 2 });
    expect(series.groups).toEqual([
      { value: 'b', failures: 3, cancellations: 0 },
      { value: 'c', failures: 0, cancellations: 3 },
      { value: OTHER_GROUP, failures: 3, cancellations: 1 },
    ]);
    expect(series.otherGroups).toBe(3);
    expect(series.buckets[0]!.byGroup).toEqual({ b: { failures: 3, cancellations: 0 }, [OTHER_GROUP]: { failures: 1, cancellations: 0 } });
    expect(series.buckets[1]!.byGroup).toEqual({ c: { failures: 0, cancellations: 3 }, [OTHER_GROUP]: { failures: 1, cancellations: 1 } });
    // every ceremony is in exactly one bucket and one group
    const total = (list: Array<{ failures: number; cancellations: number }>) =>
      list.reduce((sum, x) => sum + x.failures + x.cancellations, 0);
    expect(total(series.buckets)).toBe(total(rows));
    expect(total(series.groups)).toBe(total(rows));
  });

  it('buckets days by UTC midnight', () => {
    const series = foldFailureSeries([{ bucketMs: at('2026-11-03T00:00:00Z'), groupValue: 'x', failures: 1, cancellations: 0 }], {
      from: new Date('2026-11-02T18:00:00Z'),
      to: new Date('2026-11-04T06:00:00Z'),
      interval: 'day',
      top: 8,
    });
    expect(series.buckets.map((bucket) => [bucket.start, bucket.failures])).toEqual([
      ['2026-11-02T18:00:00.000Z', 0],
      ['2026-11-03T00:00:00.000Z', 1],
      ['2026-11-04T00:00:00.000Z', 0],
    ]);
  });
});
