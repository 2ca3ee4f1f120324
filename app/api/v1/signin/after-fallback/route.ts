import { defineRoute } from '@/lib/api/define-route';
import { zAfterFallbackQuery, zAfterFallbackResponse } from '@/lib/contracts/signin';
import { afterFallbackResponse } from '@/lib/metrics/signin';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'signin-after-fallback',
  path: '/api/v1/signin/after-fallback',
  summary:
    'After a fallback sign-in on a device class where the user had no passkey: the share offered a passkey in the same session (30 min), and the share who registered one (1 h).',
  shared: true,
  query: zAfterFallbackQuery,
  response: zAfterFallbackResponse,
  handler: ({ query }) => afterFallbackResponse(query),
});
