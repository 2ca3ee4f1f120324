import { defineRoute } from '@/lib/api/define-route';
import { zJourneyFlowsQuery, zJourneyFlowsResponse } from '@/lib/contracts/journeys';
import { journeyFlowsResponse } from '@/lib/metrics/journeys';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'journey-flows',
  path: '/api/v1/journeys/flows',
  summary:
    'The flows behind one link of the journey diagram, newest first: each with its user, start, duration, device class, end state and path.',
  parameters: {
    kind: '`sign_in` (default), `registration` or `recovery`.',
    depth: "The link's source position in the path (0 = the entry, the default), as `/api/v1/journeys` gives it.",
    source: 'The state the link leaves.',
    target: 'The state it leads to.',
    limit: 'At most this many flows (1–500, default 100).',
  },
  shared: true,
  query: zJourneyFlowsQuery,
  response: zJourneyFlowsResponse,
  handler: async ({ query }) => journeyFlowsResponse(query),
});
