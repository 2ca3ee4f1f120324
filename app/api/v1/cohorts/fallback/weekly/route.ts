import { defineRoute } from '@/lib/api/define-route';
import { zFallbackWeeklyQuery, zFallbackWeeklyResponse } from '@/lib/contracts/cohorts';
import { fallbackWeeklyResponse } from '@/lib/metrics/fallback-cohort';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'cohorts-fallback-weekly',
  path: '/api/v1/cohorts/fallback/weekly',
  summary:
    'The fallback-reliant cohort week by week: for each UTC week of the window (cut at from and to), its size by first-match reason and the active users.',
  shared: true,
  query: zFallbackWeeklyQuery,
  response: zFallbackWeeklyResponse,
  handler: ({ query }) => fallbackWeeklyResponse(query),
});
