/**
 * `npx tsx bench/query-costs.ts [DATA_DIR] [--days 28] [--runs 3] [--only NAME…]`: the cost of each metric query on
 * its own, one at a time, on an existing store (stop the app first: one process per data
 * directory). Runs one ceremony state pass first so the figures are those of a warm server.
 * Measure before optimising: this is the list of where a route's time goes — with the engine's own
 * counters per query (query analysis, plan building and optimisation, rows read), which tell a query
 * that is slow to plan from one that reads too much.
 */
import { parseArgs } from 'node:util';
import { runQuery, type QueryDefinition } from '../lib/query';
import { authenticationCeremoniesByDeviceClass } from '../sql/queries/authentication-ceremonies-by-device-class';
import { coreParams } from '../sql/queries/core-metric-fragments';
import { holderCoverage } from '../sql/queries/holder-coverage';
import { failuresByGroup } from '../sql/queries/failures-by-group';
import { fallbackCohortSizes } from '../sql/queries/fallback-cohort-sizes';
import { fallbackBreakdown } from '../sql/queries/fallback-breakdown';
import { gateSignInFacts } from '../sql/queries/gate-sign-in-facts';
import { journeyParams } from '../sql/queries/journey-fragments';
import { journeyFlows } from '../sql/queries/journey-flows';
import { journeyPaths } from '../sql/queries/journeys';
import { holdersPasskeySignInSuccess } from '../sql/queries/holders-passkey-sign-in-success';
import { liveCredentialsByKind } from '../sql/queries/live-credentials-by-kind';
import { overviewHeadlineCounts } from '../sql/queries/overview-headlines';
import { passkeySignInShareByDay } from '../sql/queries/passkey-sign-in-share-by-day';
import { recoveryLoad, recoveryLoadTotals } from '../sql/queries/recovery-load';
import { registrationCeremoniesByDimension, registrationCeremonyBreakdown } from '../sql/queries/registration-ceremonies-by-dimension';
import { registrationRateByDeviceClass } from '../sql/queries/registration-rate-by-device-class';
import { windowFilterParams } from '../sql/queries/shared';
import { supportTicketDrivers } from '../sql/queries/support-ticket-drivers';
import { upsellFriction } from '../sql/queries/upsell-friction';
import { upsellExposures } from '../sql/queries/upsell-exposures';
import { clientCapabilities } from '../sql/queries/client-capabilities';
import { afterFallbackOffers } from '../sql/queries/after-fallback-offers';
import { passkeyRetention } from '../sql/queries/passkey-retention';
import { fallbackCohortWindows } from '../sql/queries/fallback-cohort-windows';
import { coreWindowsParams } from '../sql/queries/core-metric-fragments';
import { promptLatency } from '../sql/queries/prompt-latency';
import { phishableRecoveryNewDevice } from '../sql/queries/phishable-recovery-new-device';
import { phishableRecoveryShare } from '../sql/queries/phishable-recovery-share';
import { securityVerificationSignals } from '../sql/queries/security-verification-signals';
import { originMismatchesByOrigin } from '../sql/queries/origin-mismatches-by-origin';
import { fallbackMethodDependence } from '../sql/queries/fallback-method-dependence';
import { gateBlastRadius } from '../sql/queries/gate-blast-radius';
import { gateBlastRadiusUsers } from '../sql/queries/gate-blast-radius-users';
import { zoneWeekWindows } from '../lib/domain/time-zone';
import { openBenchStore } from './open-store';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    days: { type: 'string', default: '28' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string', multiple: true },
  },
});
const bench = await openBenchStore(positionals[0]);

const DAY = 86_400_000;
const to = new Date();
const from = new Date(to.getTime() - Number(values.days) * DAY);
const filters = { deviceClass: [], os: [], browser: [], provider: [], credentialKind: [], riskTier: [], variant: [] };
const core = coreParams({ from, to }, filters);
const plain = windowFilterParams({ from, to }, filters);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of heterogeneous query definitions
const cases: Array<[QueryDefinition<any, any>, unknown]> = [
  [gateSignInFacts, core],
  [overviewHeadlineCounts, core],
  [passkeySignInShareByDay, core],
  [upsellFriction, core],
  [registrationRateByDeviceClass, core],
  [registrationCeremoniesByDimension.deviceClass, core],
  [registrationCeremonyBreakdown.deviceClass, core],
  [liveCredentialsByKind, core],
  [authenticationCeremoniesByDeviceClass, core],
  [holdersPasskeySignInSuccess, core],
  [fallbackBreakdown, core],
  [holderCoverage, core],
  [fallbackCohortSizes, core],
  [
    failuresByGroup(['reason']),
    { ...plain, from: new Date(from.getTime() - (to.getTime() - from.getTime())), windowFrom: from, limit: 100 },
  ],
  [recoveryLoadTotals, plain],
  [recoveryLoad, { ...plain, intervalMs: DAY }],
  [phishableRecoveryShare, plain],
  [phishableRecoveryNewDevice, { ...plain, limit: 50 }],
  [securityVerificationSignals, { ...plain, limit: 50 }],
  [originMismatchesByOrigin, plain],
  [promptLatency, core],
  [fallbackMethodDependence, core],
  [journeyPaths, journeyParams(plain, 'sign_in')],
  [upsellExposures, plain],
  [clientCapabilities, plain],
  [afterFallbackOffers, plain],
  [passkeyRetention, plain],
  [
    fallbackCohortWindows,
    // the weeks GET /api/v1/cohorts/fallback/weekly asks
    coreWindowsParams(zoneWeekWindows(from, to, 'UTC'), filters),
  ],
  // the stage-4 lock-out blast radius: holders at `to`, sign-ins of the 28 days before it
  [gateBlastRadius, { from: new Date(to.getTime() - 28 * DAY), to, environments: [] }],
  [gateBlastRadiusUsers, { from: new Date(to.getTime() - 28 * DAY), to, environments: [], limit: 1000 }],
  [journeyFlows, { ...journeyParams(plain, 'sign_in'), depth: 0, source: 'autofill', target: 'autofill_ok', limit: 50 }],
  [
    supportTicketDrivers,
    {
      ...plain,
      from: new Date(from.getTime() - (to.getTime() - from.getTime()) - 3 * DAY),
      windowFrom: from,
      previousFrom: new Date(from.getTime() - (to.getTime() - from.getTime())),
    },
  ],
];
/** The engine's own counters (system.events), to tell planning from reading. */
const counters = async () => {
  const result = await bench.store.client.query({
    query:
      "SELECT event, value FROM system.events WHERE event IN ('QueryAnalysisMicroseconds', 'QueryPlanOptimizeMicroseconds', 'QueryPlanBuildMicroseconds', 'SelectedRows')",
    format: 'JSONEachRow',
  });
  return new Map((await result.json<{ event: string; value: string }>()).map((row) => [row.event, Number(row.value)]));
};
console.log('| query | min ms | median ms | analysis ms | plan ms | rows read |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [query, params] of cases) {
  if (values.only && !values.only.includes(query.name)) continue;
  const times: number[] = [];
  // one untimed run: a query text's first runs also compile its expressions
  await runQuery(query, params);
  const before = await counters();
  for (let i = 0; i < Number(values.runs); i += 1) {
    const started = performance.now();
    await runQuery(query, params);
    times.push(performance.now() - started);
  }
  const after = await counters();
  const per = (event: string) => ((after.get(event) ?? 0) - (before.get(event) ?? 0)) / times.length;
  times.sort((a, b) => a - b);
  console.log(
    `| ${query.name} | ${times[0]!.toFixed(0)} | ${times[Math.floor(times.length / 2)]!.toFixed(0)} | ${(per('QueryAnalysisMicroseconds') / 1000).toFixed(0)} | ${((per('QueryPlanOptimizeMicroseconds') + per('QueryPlanBuildMicroseconds')) / 1000).toFixed(0)} | ${Math.round(per('SelectedRows')).toLocaleString('en-US')} |`,
  );
}
await bench.close();
