import { defineRoute } from '@/lib/api/define-route';
import { zRetentionQuery, zRetentionResponse } from '@/lib/contracts/retention';
import { retentionResponse } from '@/lib/metrics/retention';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'retention',
  path: '/api/v1/retention',
  summary:
    'Passkey retention: users by the week of their first passkey registration, and per week since the share signing in with a passkey, only by fallback, or with every passkey deleted.',
  parameters: { cohort: '`week` (the only cohort size so far).' },
  shared: true,
  query: zRetentionQuery,
  response: zRetentionResponse,
  handler: async ({ query }) => retentionResponse(query),
});
