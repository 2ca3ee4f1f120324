/**
 * Pure shaping of the recovery response for its charts and tables. Values are the API's own
 * (counts and rates per bucket); nothing is recomputed, only arranged for rendering.
 */
import type { RecoveryBucket, RecoveryMethodRow } from '@/lib/contracts/recovery';
import type { TicketDriverRow } from '@/lib/contracts/support';

export interface RecoverySeriesRow {
  start: string;
  end: string;
  /** The API's bucket load; null stays null (a gap, not a zero). */
  recoveryLoad: number | null;
  completionRate: number | null;
  started: number;
  completed: number;
  activeUsers: number;
  /** Starts per method: a count, so a method absent from a bucket is 0. */
  byMethod: Record<string, number>;
}

/** Methods seen in the series, most starts first (ties by name), so colours and legend are stable. */
export function seriesMethods(series: RecoveryBucket[]): string[] {
  const totals = new Map<string, number>();
  for (const bucket of series) {
    for (const [method, count] of Object.entries(bucket.startedByMethod)) totals.set(method, (totals.get(method) ?? 0) + count);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([method]) => method);
}

export function toRecoverySeriesRows(series: RecoveryBucket[]): RecoverySeriesRow[] {
  const methods = seriesMethods(series);
  return series.map((bucket) => ({
    start: bucket.start,
    end: bucket.end,
    recoveryLoad: bucket.recoveryLoad,
    completionRate: bucket.completionRate,
    started: bucket.started,
    completed: bucket.completed,
    activeUsers: bucket.activeUsers,
    byMethod: Object.fromEntries(methods.map((method) => [method, bucket.startedByMethod[method] ?? 0])),
  }));
}

/** Flat rows for Recharts: `m:<method>` keys hold the starts per method. */
export function toRecoveryChartData(rows: RecoverySeriesRow[]): Array<Record<string, string | number | null>> {
  return rows.map((row) => ({
    start: row.start,
    recoveryLoad: row.recoveryLoad,
    ...Object.fromEntries(Object.entries(row.byMethod).map(([method, count]) => [`m:${method}`, count])),
  }));
}

/** Human label of a recovery method: `email_magic_link` → `email magic link`. */
export function methodLabel(method: string): string {
  return method.replaceAll('_', ' ');
}

/** Methods sorted as the API ranked them, phishable ones flagged — order kept, only filtered of empties. */
export function methodsWithStarts(rows: RecoveryMethodRow[]): RecoveryMethodRow[] {
  return rows.filter((row) => row.started > 0);
}

export type TrendDirection = 'up' | 'down' | 'flat' | 'new';

export interface Trend {
  current: number;
  previous: number;
  /** current − previous. */
  delta: number;
  direction: TrendDirection;
}

/** The change of a count against the previous period of equal length. */
export function countTrend(current: number, previous: number): Trend {
  const delta = current - previous;
  const direction: TrendDirection = previous === 0 && current > 0 ? 'new' : delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
  return { current, previous, delta, direction };
}

/** `authentication:user_not_verified` → `Authentication · user not verified`. */
export function driverLabel(row: Pick<TicketDriverRow, 'driver' | 'kind' | 'reason'>): string {
  if (row.kind === 'none') return 'No preceding failure';
  if (row.kind === 'recovery') return 'Recovery · failed';
  const kind = row.kind === 'registration' ? 'Registration' : 'Authentication';
  return `${kind} · ${row.reason.replaceAll('_', ' ')}`;
}
