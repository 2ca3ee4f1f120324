/**
 * Sign-in (GET /api/v1/signin): ceremonies per device class, the passkey share, fallback methods and reasons, coverage, prompt latency.
 */
import 'server-only';
import type { z } from 'zod';
import type { AfterFallbackResponse, SigninResponse, zAfterFallbackQuery, zSigninQuery } from '@/lib/contracts/signin';
import { runQuery } from '@/lib/query';
import { holderCoverage, promptLatencies, signInShares, sumTallies } from './core-metrics';
import { rate, tallies } from './rates';
import { windowEcho } from './windows';
import { authenticationCeremoniesByDeviceClass } from '@/sql/queries/authentication-ceremonies-by-device-class';
import { coreParams } from '@/sql/queries/core-metric-fragments';
import { fallbackBreakdown } from '@/sql/queries/fallback-breakdown';
import { afterFallbackOffers } from '@/sql/queries/after-fallback-offers';
import { windowFilterParams } from '@/sql/queries/shared';

export async function signinResponse(query: z.output<typeof zSigninQuery>): Promise<SigninResponse> {
  const window = { from: query.from, to: query.to };
  const params = coreParams(window, query);
  const [byDeviceClass, shares, fallbacks, holderQuestions, latency] = await Promise.all([
    runQuery(authenticationCeremoniesByDeviceClass, params),
    signInShares(window, query),
    runQuery(fallbackBreakdown, params),
    holderCoverage(window, query),
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
  // every ceremony is in one device class: the holders' outcomes are the classes' holder columns summed
  // (what holders-passkey-sign-in-success.ts counts in one row, for the stage gates)
  const holders = sumTallies(
    byDeviceClass.map((row) => ({ successes: row.holderSuccesses, failures: row.holderFailures, cancellations: row.holderCancellations })),
  );
  return {
    ...windowEcho(window, query),
    rows,
    totals: sumTallies(rows),
    holders,
    holdersSuccessRate: holders.successRate,
    ...shares.total,
    shareSeries: shares.series,
    fallbackMethods: fallbacks
      .filter((row) => row.part === 'method')
      .map(({ key, fallbacks, users }) => ({ method: key, fallbacks, users })),
    fallbackReasons: fallbacks
      .filter((row) => row.part === 'reason')
      .map(({ key, fallbacks, users }) => ({ reason: key, fallbacks, users })),
    multiDeviceCoverage: holderQuestions.multiDevice,
    crossPlatformGap: holderQuestions.crossPlatform,
    promptLatency: latency,
  };
}

/** After a fallback sign-in where the user had no passkey: offered one, registered one (GET /api/v1/signin/after-fallback). */
export async function afterFallbackResponse(query: z.output<typeof zAfterFallbackQuery>): Promise<AfterFallbackResponse> {
  const window = { from: query.from, to: query.to };
  const rows = await runQuery(afterFallbackOffers, windowFilterParams(window, query));
  const shares = ({ signIns, users, offered, registered }: { signIns: number; users: number; offered: number; registered: number }) => ({
    signIns,
    users,
    offered,
    registered,
    offeredShare: rate(offered, signIns),
    registeredShare: rate(registered, signIns),
  });
  const total = rows.find((row) => row.part === 'total');
  return {
    ...windowEcho(window, query),
    rows: rows.filter((row) => row.part === 'class').map((row) => ({ deviceClass: row.deviceClass, ...shares(row) })),
    totals: shares(total ?? { signIns: 0, users: 0, offered: 0, registered: 0 }),
  };
}
