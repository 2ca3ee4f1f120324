/** The quarantine page's chart rows and series (one stacked series per rejection reason). */
import type { QuarantineResponse } from '@/lib/contracts/quarantine';
import type { SeriesSpec } from '@/components/kit/charts/series';

const seriesKey = (index: number) => `r${index}`;

export function toQuarantineChart(data: QuarantineResponse): { rows: Array<Record<string, string | number>>; series: SeriesSpec[] } {
  const series = data.byReason.map((entry, index) => ({ key: seriesKey(index), label: entry.reason }));
  const rows = data.series.map((day) => {
    const row: Record<string, string | number> = { start: `${day.day}T00:00:00.000Z` };
    data.byReason.forEach((entry, index) => (row[seriesKey(index)] = day.byReason[entry.reason] ?? 0));
    return row;
  });
  return { rows, series };
}
