import { defineRoute } from '@/lib/api/define-route';
import { zSupportDriversQuery, zSupportDriversResponse } from '@/lib/contracts/support';
import { supportDriversResponse } from '@/lib/metrics/support-drivers';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'support-drivers',
  path: '/api/v1/support/drivers',
  summary:
    'Support tickets attributed to what drove them, ranked, against the previous window, each driver with its tickets per category, channel and day (the tickets themselves: /api/v1/support/drivers/tickets).',
  shared: true,
  query: zSupportDriversQuery,
  response: zSupportDriversResponse,
  handler: async ({ query }) => supportDriversResponse(query),
});
