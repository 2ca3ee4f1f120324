import { defineRoute } from '@/lib/api/define-route';
import { zRegistrationQuery, zRegistrationResponse } from '@/lib/contracts/registration';
import { registrationResponse } from '@/lib/metrics/registration';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'registration',
  path: '/api/v1/registration',
  summary: 'Registration ceremonies per group, the registration rate per device class, a daily series and the synced / device-bound split.',
  parameters: {
    groupBy: 'The dimension rows are grouped by (default `deviceClass`).',
  },
  shared: true,
  query: zRegistrationQuery,
  response: zRegistrationResponse,
  handler: ({ query }) => registrationResponse(query),
});
