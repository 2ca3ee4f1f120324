import { defineRoute } from '@/lib/api/define-route';
import { zOverviewQuery, zOverviewResponse } from '@/lib/contracts/overview';
import { overviewResponse } from '@/lib/metrics/overview';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'overview',
  path: '/api/v1/overview',
  summary: 'Headline numbers: active users, holders, registration and passkey sign-in rates, against the previous window.',
  shared: true,
  query: zOverviewQuery,
  response: zOverviewResponse,
  handler: ({ query }) => overviewResponse(query),
});
