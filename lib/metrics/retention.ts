/** GET /api/v1/retention: the rows of sql/queries/passkey-retention.ts as cohorts with their weeks and shares. */
import 'server-only';
import type { Filters } from '@/lib/domain/filters';
import type { RetentionResponse } from '@/lib/contracts/retention';
import { runQuery } from '@/lib/query';
import { passkeyRetention, type RetentionRow } from '@/sql/queries/passkey-retention';
import { windowFilterParams } from '@/sql/queries/shared';
import { rate } from './rates';
import { windowEcho, type TimeWindow } from './windows';

const WEEK_MS = 7 * 86_400_000;

/** Pure: rows (one per cohort × week, in order) → cohorts, each week's counts as shares of the cohort. */
export function retentionCohorts(rows: readonly RetentionRow[], window: TimeWindow): RetentionResponse['cohorts'] {
  const cohorts = new Map<string, RetentionResponse['cohorts'][number]>();
  for (const row of rows) {
    const weekStart = Date.parse(`${row.cohortWeek}T00:00:00Z`);
    let cohort = cohorts.get(row.cohortWeek);
    if (!cohort) {
      cohort = { week: row.cohortWeek, users: row.users, partial: weekStart < window.from.getTime(), weeks: [] };
      cohorts.set(row.cohortWeek, cohort);
    }
    const start = weekStart + row.offset * WEEK_MS;
    const end = Math.min(start + WEEK_MS, window.to.getTime());
    cohort.weeks.push({
      offset: row.offset,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      partial: end < start + WEEK_MS,
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
