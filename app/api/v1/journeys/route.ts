import { defineRoute } from '@/lib/api/define-route';
import { zJourneysQuery, zJourneysResponse } from '@/lib/contracts/journeys';
import { journeysResponse } from '@/lib/metrics/journeys';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'journeys',
  path: '/api/v1/journeys',
  summary:
    'Journeys: the paths auth.flow.id flows of one kind take from their entry to their end state, with shares and durations, as top paths and as nodes and links; for sign-in, the time to sign in by method and device class.',
  parameters: { kind: '`sign_in` (default), `registration` or `recovery`.' },
  shared: true,
  query: zJourneysQuery,
  response: zJourneysResponse,
  handler: async ({ query }) => journeysResponse(query),
});
