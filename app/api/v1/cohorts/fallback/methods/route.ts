import { defineRoute } from '@/lib/api/define-route';
import { zFallbackMethodsQuery, zFallbackMethodsResponse } from '@/lib/contracts/cohorts';
import { fallbackMethodsResponse } from '@/lib/metrics/fallback-cohort';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'cohorts-fallback-methods',
  path: '/api/v1/cohorts/fallback/methods',
  summary:
    'Who still depends on each fallback method: active users signing in with it, with nothing else, and without a passkey on any device class they use.',
  shared: true,
  query: zFallbackMethodsQuery,
  response: zFallbackMethodsResponse,
  handler: ({ query }) => fallbackMethodsResponse(query),
});
