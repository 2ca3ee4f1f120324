import { defineRoute } from '@/lib/api/define-route';
import { zFailuresQuery, zFailuresResponse } from '@/lib/contracts/failures';
import { failuresResponse } from '@/lib/metrics/failures';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'failures',
  path: '/api/v1/failures',
  summary: 'Failed and cancelled ceremonies grouped by up to three dimensions in Pareto order, and the ceremonies of the selected group.',
  parameters: {
    groupBy: 'One to three dimensions to group by, without repeats (default `reason`).',
    reason: 'Selector: narrows only the ceremony list to these failure reasons.',
    outcome: 'Selector: narrows only the ceremony list to these outcomes (`failure`, `cancelled`).',
    type: 'Selector: narrows only the ceremony list to these ceremony types (`registration`, `authentication`).',
    surface: 'Selector: narrows only the ceremony list to these UI surfaces.',
  },
  shared: true,
  query: zFailuresQuery,
  response: zFailuresResponse,
  handler: ({ query }) => failuresResponse(query),
});
