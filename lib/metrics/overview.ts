/**
 * The Overview (GET /api/v1/overview): headline numbers against the previous window, registration rates, the daily passkey sign-in share.
 */
import 'server-only';
import type { z } from 'zod';
import type { zOverviewQuery, OverviewHeadlines, OverviewResponse } from '@/lib/contracts/overview';
import { overviewHeadlines, signInShares } from './core-metrics';
import { previousWindow, windowEcho } from './windows';

export async function overviewResponse(query: z.output<typeof zOverviewQuery>): Promise<OverviewResponse> {
  const window = { from: query.from, to: query.to, tz: query.tz };
  const previous = previousWindow(window);
  const [{ headlines, registrationByDeviceClass }, passkeySignInShareSeries] = await Promise.all([
    overviewHeadlines([previous, window], query),
    signInShares(window, query).then((shares) => shares.series),
  ]);
  const [before, current] = headlines as [OverviewHeadlines, OverviewHeadlines];
  return {
    ...windowEcho(window, query),
    ...current,
    previous: { from: previous.from.toISOString(), to: previous.to.toISOString(), ...before },
    registrationByDeviceClass,
    passkeySignInShareSeries,
  };
}
