import { defineRoute } from '@/lib/api/define-route';
import { zAnnotationsQuery, zAnnotationsResponse } from '@/lib/contracts/annotations';
import { annotationsResponse } from '@/lib/metrics/annotations';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'annotations',
  path: '/api/v1/annotations',
  summary:
    'What the time charts mark in the window: stage decisions, and releases (the first event of each new service.version in the selected environments and services), oldest first.',
  shared: true,
  query: zAnnotationsQuery,
  response: zAnnotationsResponse,
  handler: async ({ query }) => annotationsResponse(query),
});
