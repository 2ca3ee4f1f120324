import { defineRoute } from '@/lib/api/define-route';
import { zSigninQuery, zSigninResponse } from '@/lib/contracts/signin';
import { signinResponse } from '@/lib/metrics/signin';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'signin',
  path: '/api/v1/signin',
  summary:
    'Sign-in ceremonies per device class, the passkey sign-in share, fallback methods and reasons, multi-device coverage, prompt latency.',
  shared: true,
  query: zSigninQuery,
  response: zSigninResponse,
  handler: ({ query }) => signinResponse(query),
});
