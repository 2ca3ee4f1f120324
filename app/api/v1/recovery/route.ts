import { defineRoute } from '@/lib/api/define-route';
import { zRecoveryQuery, zRecoveryResponse } from '@/lib/contracts/recovery';
import { recoveryResponse } from '@/lib/metrics/recovery';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'recovery',
  path: '/api/v1/recovery',
  summary: 'Account recovery load and completion by method, the phishable-recovery share and a series per interval.',
  parameters: {
    interval: 'Bucket size of the series (default `day`); `hour` only for windows of at most 31 days.',
  },
  shared: true,
  query: zRecoveryQuery,
  response: zRecoveryResponse,
  handler: ({ query }) => recoveryResponse(query),
});
