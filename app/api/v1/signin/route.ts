import { defineRoute } from '@/lib/api/define-route';
import { zSigninQuery, zSigninResponse } from '@/lib/contracts/signin';
import { runQuery } from '@/lib/query';
import { crossPlatform, multiDevice, promptLatencies, signInShare, signInShareSeries, sumTallies } from '@/lib/metrics/core-metrics';
import { rate, tallies, NO_OUTCOMES } from '@/lib/metrics/rates';
import { windowEcho } from '@/lib/metrics/windows';
import { authenticationCeremoniesByDeviceClass } from '@/sql/queries/authentication-ceremonies-by-device-class';
import { coreParams } from '@/sql/queries/core-metric-fragments';
import { fallbackMethods } from '@/sql/queries/fallback-methods';
import { fallbackReasons } from '@/sql/queries/fallback-reasons';
import { holdersPasskeySignInSuccess } from '@/sql/queries/holders-passkey-sign-in-success';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'signin',
  path: '/api/v1/signin',
  summary:
    'Sign-in ceremonies per device class, the passkey sign-in share, fallback methods and reasons, multi-device coverage, prompt latency.',
  query: zSigninQuery,
  response: zSigninResponse,
  handler: async ({ query }) => {
    const window = { from: query.from, to: query.to };
    const params = coreParams(window, query);
    const [byDeviceClass, holderOutcomes, share, shareSeries, methods, reasons, coverage, gap, latency] = await Promise.all([
      runQuery(authenticationCeremoniesByDeviceClass, params),
      runQuery(holdersPasskeySignInSuccess, params),
      signInShare(window, query),
      signInShareSeries(window, query),
      runQuery(fallbackMethods, params),
      runQuery(fallbackReasons, params),
      multiDevice(window, query),
      crossPlatform(window, query),
      promptLatencies(window, query),
    ]);
    const rows = byDeviceClass.map(
      ({ deviceClass, successes, failures, cancellations, holderSuccesses, holderFailures, holderCancellations }) => ({
        deviceClass,
        ...tallies({ successes, failures, cancellations }),
        holderCeremonies: holderSuccesses + holderFailures + holderCancellations,
        holdersSuccessRate: rate(holderSuccesses, holderSuccesses + holderFailures),
      }),
    );
    const holders = tallies(holderOutcomes[0] ?? NO_OUTCOMES);
    return {
      ...windowEcho(window, query),
      rows,
      totals: sumTallies(rows),
      holders,
      holdersSuccessRate: holders.successRate,
      ...share,
      shareSeries,
      fallbackMethods: methods,
      fallbackReasons: reasons,
      multiDeviceCoverage: coverage,
      crossPlatformGap: gap,
      promptLatency: latency,
    };
  },
});
