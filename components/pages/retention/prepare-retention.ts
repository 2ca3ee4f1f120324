/** The retention page: the cohort triangle's cells and the per-cohort curves, for one measure. */
import type { RetentionResponse, RetentionWeek } from '@/lib/contracts/retention';
import type { SeriesSpec } from '@/components/kit/charts/series';

export const RETENTION_MEASURES = ['passkey', 'fallbackOnly', 'deletedAll'] as const;
export type RetentionMeasure = (typeof RETENTION_MEASURES)[number];

export const MEASURE_LABEL: Record<RetentionMeasure, string> = {
  passkey: 'Signed in with a passkey',
  fallbackOnly: 'Signed in only by fallback',
  deletedAll: 'Deleted every passkey',
};

export function parseMeasure(value: string | null): RetentionMeasure {
  return (RETENTION_MEASURES as readonly string[]).includes(value ?? '') ? (value as RetentionMeasure) : 'passkey';
}

export function shareOf(week: RetentionWeek, measure: RetentionMeasure): number | null {
  return measure === 'passkey' ? week.passkeyShare : measure === 'fallbackOnly' ? week.fallbackOnlyShare : week.deletedAllShare;
}

/** How many week columns the triangle needs. */
export function weekColumns(data: RetentionResponse): number {
  return data.cohorts.reduce((max, cohort) => Math.max(max, cohort.weeks.length), 0);
}

/** Curves of the newest `limit` cohorts: one row per week offset, one key per cohort (null where the cohort has no such week yet). */
export function retentionCurves(
  data: RetentionResponse,
  measure: RetentionMeasure,
  limit = 8,
): { rows: Array<Record<string, string | number | null>>; series: SeriesSpec[] } {
  const cohorts = data.cohorts.slice(-limit);
  const series = cohorts.map((cohort, index) => ({ key: `c${String(index).padStart(2, '0')}`, label: `${cohort.week} (${cohort.users})` }));
  const rows = Array.from({ length: weekColumns(data) }, (_, offset) => {
    const row: Record<string, string | number | null> = { label: `Week ${offset}` };
    cohorts.forEach((cohort, index) => {
      const week = cohort.weeks[offset];
      row[series[index]!.key] = week ? shareOf(week, measure) : null;
    });
    return row;
  });
  return { rows, series };
}
