import { defineRoute } from '@/lib/api/define-route';
import { zFallbackCohortQuery, zFallbackCohortResponse } from '@/lib/contracts/cohorts';
import { fallbackCohortResponse } from '@/lib/metrics/fallback-cohort';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'cohorts-fallback',
  path: '/api/v1/cohorts/fallback',
  summary: 'The fallback-reliant cohort: its size by first-match reason, against the previous window of equal length.',
  shared: true,
  query: zFallbackCohortQuery,
  response: zFallbackCohortResponse,
  handler: ({ query }) => fallbackCohortResponse(query),
});
