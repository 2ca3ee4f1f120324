import { defineRoute } from '@/lib/api/define-route';
import { zOverviewQuery, zOverviewResponse } from '@/lib/contracts/overview';
import { overviewHeadlines, registrationRates, signInShareSeries } from '@/lib/metrics/core-metrics';
import { previousWindow, windowEcho } from '@/lib/metrics/windows';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'overview',
  path: '/api/v1/overview',
  summary: 'Headline numbers: active users, holders, registration and passkey sign-in rates, against the previous window.',
  query: zOverviewQuery,
  response: zOverviewResponse,
  handler: async ({ query }) => {
    const window = { from: query.from, to: query.to };
    const previous = previousWindow(window);
    const [current, before, registrationByDeviceClass, passkeySignInShareSeries] = await Promise.all([
      overviewHeadlines(window, query),
      overviewHeadlines(previous, query),
      registrationRates(window, query),
      signInShareSeries(window, query),
    ]);
    return {
      ...windowEcho(window, query),
      ...current,
      previous: { from: previous.from.toISOString(), to: previous.to.toISOString(), ...before },
      registrationByDeviceClass,
      passkeySignInShareSeries,
    };
  },
});
