import { csvDay, csvResponse } from '@/lib/api/csv-response';
import { defineRoute } from '@/lib/api/define-route';
import { zFallbackCohortUsersQuery, zFallbackCohortUsersResponse } from '@/lib/contracts/cohorts';
import { fallbackCohortUsersCsv, fallbackCohortUsersPage } from '@/lib/metrics/fallback-cohort';

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
  shared: true,
  query: zFallbackCohortUsersQuery,
  response: zFallbackCohortUsersResponse,
  handler: async ({ query }) => {
    const answer = await fallbackCohortUsersPage(query);
    if (query.format === 'csv') {
      return csvResponse(
        fallbackCohortUsersCsv(answer.users, query.raw),
        `fallback-cohort-${query.reason}-${csvDay(query.from)}-${csvDay(query.to)}.csv`,
        answer.total,
      );
    }
    return answer;
  },
});
