import { defineRoute } from '@/lib/api/define-route';
import { zSecurityQuery, zSecurityResponse } from '@/lib/contracts/security';
import { securityResponse } from '@/lib/metrics/security';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'security',
  path: '/api/v1/security',
  summary:
    'Verification signals (origin and RP ID mismatches, challenge reuse, counter anomalies, …) and phishable recoveries followed by a passkey from a new device class.',
  parameters: {
    limit: 'At most this many newest events per signal (default 50).',
  },
  shared: true,
  query: zSecurityQuery,
  response: zSecurityResponse,
  handler: ({ query }) => securityResponse(query),
});
