import { defineRoute } from '@/lib/api/define-route';
import { zFailuresSeriesQuery, zFailuresSeriesResponse } from '@/lib/contracts/failures';
import { failuresSeriesResponse } from '@/lib/metrics/failures-series';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'failures-series',
  path: '/api/v1/failures/series',
  summary:
    'Failed and cancelled ceremonies per UTC hour or day, by reason, device class or service version (the top groups, the rest folded).',
  parameters: {
    interval: '`hour` or `day` (default); at most 1,000 buckets per answer.',
    groupBy: '`reason` (default), `deviceClass` or `serviceVersion`.',
    top: 'How many of the largest groups to keep (1–20, default 8); the others are summed as `(other)`.',
  },
  shared: true,
  query: zFailuresSeriesQuery,
  response: zFailuresSeriesResponse,
  handler: async ({ query }) => failuresSeriesResponse(query),
});
