import { defineRoute } from '@/lib/api/define-route';
import { FALLBACK_COHORT_REASONS, zFallbackCohortQuery, zFallbackCohortResponse } from '@/lib/contracts/cohorts';
import { activeUserCount, cohortSizes, cohortTotal } from '@/lib/metrics/core-metrics';
import { rate } from '@/lib/metrics/rates';
import { previousWindow, windowEcho } from '@/lib/metrics/windows';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'cohorts-fallback',
  path: '/api/v1/cohorts/fallback',
  summary: 'The fallback-reliant cohort: its size by first-match reason, against the previous window of equal length.',
  query: zFallbackCohortQuery,
  response: zFallbackCohortResponse,
  handler: async ({ query }) => {
    const window = { from: query.from, to: query.to };
    const previous = previousWindow(window);
    const [sizes, previousSizes, activeUsers, previousActiveUsers] = await Promise.all([
      cohortSizes(window, query),
      cohortSizes(previous, query),
      activeUserCount(window, query),
      activeUserCount(previous, query),
    ]);
    const cohortSize = cohortTotal(sizes);
    return {
      ...windowEcho(window, query),
      previous: {
        from: previous.from.toISOString(),
        to: previous.to.toISOString(),
        activeUsers: previousActiveUsers,
        cohortSize: cohortTotal(previousSizes),
      },
      activeUsers,
      cohortSize,
      cohortShare: rate(cohortSize, activeUsers),
      reasons: FALLBACK_COHORT_REASONS.map((reason) => ({
        reason,
        users: sizes[reason],
        previousUsers: previousSizes[reason],
        shareOfCohort: rate(sizes[reason], cohortSize),
      })),
    };
  },
});
