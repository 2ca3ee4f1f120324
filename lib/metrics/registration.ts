/**
 * Registration (GET /api/v1/registration): ceremonies per group, the rate per device class, a daily series, the synced / device-bound split, the upsell funnel.
 */
import 'server-only';
import type { z } from 'zod';
import type { zRegistrationQuery, RegistrationResponse } from '@/lib/contracts/registration';
import {
  credentialKindSplit,
  deviceClassRows,
  registrationGroups,
  registrationRates,
  registrationSeries,
  sumTallies,
  upsellFunnel,
} from './core-metrics';
import { windowEcho } from './windows';

export async function registrationResponse(query: z.output<typeof zRegistrationQuery>): Promise<RegistrationResponse> {
  const window = { from: query.from, to: query.to, tz: query.tz };
  const [groups, byKind, series, upsell] = await Promise.all([
    registrationGroups(window, query, query.groupBy),
    query.groupBy === 'credentialKind' ? undefined : registrationGroups(window, query, 'credentialKind'),
    registrationSeries(window, query),
    upsellFunnel(window, query),
  ]);
  const credentialKinds = await credentialKindSplit(window, query, byKind ?? groups);
  const base = { ...windowEcho(window, query), totals: sumTallies(groups), series, credentialKinds, upsell };
  if (query.groupBy === 'deviceClass') {
    return { ...base, groupBy: 'deviceClass' as const, rows: deviceClassRows(groups, await registrationRates(window, query)) };
  }
  return { ...base, groupBy: query.groupBy, rows: groups };
}
