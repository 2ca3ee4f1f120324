/** GET /api/v1/retention: the rows of sql/queries/passkey-retention.ts as cohorts with their weeks and shares. */
import 'server-only';
import type { Filters } from '@/lib/domain/filters';
import type { RetentionResponse } from '@/lib/contracts/retention';
import { runQuery } from '@/lib/query';
import { passkeyRetention, type RetentionRow } from '@/sql/queries/passkey-retention';
import { windowFilterParams } from '@/sql/queries/shared';
import { addDays, DEFAULT_TIME_ZONE, startOfLocalDate } from '@/lib/domain/time-zone';
import { rate } from './rates';
import { windowEcho, type TimeWindow } from './windows';

/** Pure: rows (one per cohort × week, in order) → cohorts, each week's counts as shares of the cohort. */
export function retentionCohorts(rows: readonly RetentionRow[], window: TimeWindow): RetentionResponse['cohorts'] {
  const cohorts = new Map<string, RetentionResponse['cohorts'][number]>();
  const tz = window.tz ?? DEFAULT_TIME_ZONE;
  // A week's bounds: Monday 00:00 local time, `weeks` after the cohort's Monday.
  const mondayAfter = (monday: string, weeks: number) => startOfLocalDate(addDays(monday, 7 * weeks), tz);
  for (const row of rows) {
    const weekStart = mondayAfter(row.cohortWeek, 0);
    let cohort = cohorts.get(row.cohortWeek);
    if (!cohort) {
      cohort = { week: row.cohortWeek, users: row.users, partial: weekStart < window.from.getTime(), weeks: [] };
      cohorts.set(row.cohortWeek, cohort);
    }
    const start = mondayAfter(row.cohortWeek, row.offset);
    const fullEnd = mondayAfter(row.cohortWeek, row.offset + 1);
    const end = Math.min(fullEnd, window.to.getTime());
    cohort.weeks.push({
      offset: row.offset,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      partial: end < fullEnd,
      passkeySignIns: row.passkeySignIns,
      fallbackOnly: row.fallbackOnly,
      deletedAll: row.deletedAll,
      passkeyShare: rate(row.passkeySignIns, row.users),
      fallbackOnlyShare: rate(row.fallbackOnly, row.users),
      deletedAllShare: rate(row.deletedAll, row.users),
    });
  }
  return [...cohorts.values()];
}

export async function retentionResponse(query: TimeWindow & Filters): Promise<RetentionResponse> {
  const rows = await runQuery(passkeyRetention, windowFilterParams(query, query));
  return { ...windowEcho(query, query), cohort: 'week', cohorts: retentionCohorts(rows, query) };
}
