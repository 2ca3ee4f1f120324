import { defineRoute } from '@/lib/api/define-route';
import { zUpsellExposuresQuery, zUpsellExposuresResponse } from '@/lib/contracts/journeys';
import { upsellExposuresResponse } from '@/lib/metrics/journeys';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'journey-upsell',
  path: '/api/v1/journeys/upsell',
  summary:
    'Upsell conversion by exposure number: of the post-sign-in upsells shown in the window for the 1st, 2nd, 3rd and 4th-or-later time to a user, the share accepted and the share followed by a passkey registration.',
  shared: true,
  query: zUpsellExposuresQuery,
  response: zUpsellExposuresResponse,
  handler: async ({ query }) => upsellExposuresResponse(query),
});
