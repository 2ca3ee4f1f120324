import { defineRoute } from '@/lib/api/define-route';
import { zCapabilitiesQuery, zCapabilitiesResponse } from '@/lib/contracts/capabilities';
import { capabilitiesResponse } from '@/lib/metrics/capabilities';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'capabilities',
  path: '/api/v1/capabilities',
  summary:
    'Active users per device class, and what their latest passkey.client.capabilities report said: a user-verifying platform authenticator, conditional UI (autofill).',
  shared: true,
  query: zCapabilitiesQuery,
  response: zCapabilitiesResponse,
  handler: ({ query }) => capabilitiesResponse(query),
});
