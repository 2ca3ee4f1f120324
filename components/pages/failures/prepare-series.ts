/** Failures over time: the chart's rows and series from /api/v1/failures/series, and the interval rule. */
import type { FailureSeriesGroup, FailureSeriesInterval, FailuresSeriesResponse } from '@/lib/contracts/failures';
import { FAILURE_SERIES_GROUPS, MAX_SERIES_BUCKETS } from '@/lib/contracts/failures';
import type { SeriesSpec } from '@/components/kit/charts/series';

const HOUR_MS = 3_600_000;
/** Windows this short are shown by the hour unless the page asks for days. */
export const AUTO_HOURS_MAX_MS = 3 * 24 * HOUR_MS;

export const SERIES_GROUP_LABEL: Record<FailureSeriesGroup, string> = {
  reason: 'Reason',
  deviceClass: 'Device class',
  serviceVersion: 'Release',
};

export function parseSeriesGroup(value: string | null): FailureSeriesGroup {
  return (FAILURE_SERIES_GROUPS as readonly string[]).includes(value ?? '') ? (value as FailureSeriesGroup) : 'reason';
}

/** Whether the window fits in hour buckets (the API's cap). */
export function hoursAllowed(from: string, to: string): boolean {
  return Math.ceil(Date.parse(to) / HOUR_MS) - Math.floor(Date.parse(from) / HOUR_MS) <= MAX_SERIES_BUCKETS;
}

/** The page's `interval` if it names one the window allows, else hours for windows up to 3 days, days beyond. */
export function seriesInterval(asked: string | null, from: string, to: string): FailureSeriesInterval {
  if (asked === 'day') return 'day';
  if (asked === 'hour' && hoursAllowed(from, to)) return 'hour';
  return Date.parse(to) - Date.parse(from) <= AUTO_HOURS_MAX_MS ? 'hour' : 'day';
}

const seriesKey = (index: number) => `g${index}`;

/** One row per bucket with one key per group (failed + cancelled ceremonies), and the stacked series. */
export function toSeriesChart(data: FailuresSeriesResponse): { rows: Array<Record<string, string | number>>; series: SeriesSpec[] } {
  const series = data.groups.map((group, index) => ({ key: seriesKey(index), label: group.value || '(none)' }));
  const rows = data.buckets.map((bucket) => {
    const row: Record<string, string | number> = { start: bucket.start };
    data.groups.forEach((group, index) => {
      const counts = bucket.byGroup[group.value];
      row[seriesKey(index)] = counts ? counts.failures + counts.cancellations : 0;
    });
    return row;
  });
  return { rows, series };
}
