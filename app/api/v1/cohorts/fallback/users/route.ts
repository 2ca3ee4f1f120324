import { csvDay, csvResponse } from '@/lib/api/csv-response';
import { defineRoute } from '@/lib/api/define-route';
import {
  FALLBACK_COHORT_CSV_COLUMNS,
  MAX_COHORT_EXPORT_ROWS,
  zFallbackCohortUsersQuery,
  zFallbackCohortUsersResponse,
} from '@/lib/contracts/cohorts';
import { runQuery } from '@/lib/query';
import { cohortSizes, cohortTotal } from '@/lib/metrics/core-metrics';
import { csvDocument } from '@/lib/metrics/csv';
import { windowEcho } from '@/lib/metrics/windows';
import { coreParams } from '@/sql/queries/core-metric-fragments';
import { fallbackCohortUsers } from '@/sql/queries/fallback-cohort-users';

export const dynamic = 'force-dynamic';

/**
 * The cohort's users, a page at a time (JSON), or as CSV: the whole cohort (up to
 * MAX_COHORT_EXPORT_ROWS) unless `page` is given, then that page; formula-like ids neutralised
 * unless `raw=1` (lib/metrics/csv.ts).
 */
export const GET = defineRoute({
  name: 'cohorts-fallback-users',
  path: '/api/v1/cohorts/fallback/users',
  summary: "The fallback-reliant cohort's users, a page at a time (JSON) or as a CSV export (format=csv).",
  parameters: {
    reason: 'Only the users of this first-match reason; `all` (default) for the whole cohort.',
    page: '1-based page. JSON defaults to 1; a CSV export without `page` holds the whole cohort (up to 100,000 users).',
  },
  query: zFallbackCohortUsersQuery,
  response: zFallbackCohortUsersResponse,
  handler: async ({ query }) => {
    const window = { from: query.from, to: query.to };
    const exportAll = query.format === 'csv' && query.page === undefined;
    const page = query.page ?? 1;
    const limit = exportAll ? MAX_COHORT_EXPORT_ROWS : query.pageSize;
    const offset = exportAll ? 0 : (page - 1) * query.pageSize;
    const [sizes, rows] = await Promise.all([
      cohortSizes(window, query),
      runQuery(fallbackCohortUsers, { ...coreParams(window, query), reason: query.reason, limit, offset }),
    ]);
    const total = query.reason === 'all' ? cohortTotal(sizes) : sizes[query.reason];

    if (query.format === 'csv') {
      const body = csvDocument(
        FALLBACK_COHORT_CSV_COLUMNS,
        rows.map((user) => [user.userId, user.reason, user.signIns, user.lastSignInAt, user.methods.join(';')]),
        { raw: query.raw },
      );
      return csvResponse(body, `fallback-cohort-${query.reason}-${csvDay(query.from)}-${csvDay(query.to)}.csv`, total);
    }
    return { ...windowEcho(window, query), reason: query.reason, page, pageSize: query.pageSize, total, users: rows };
  },
});
