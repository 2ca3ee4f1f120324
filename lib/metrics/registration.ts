/**
 * Registration (GET /api/v1/registration): ceremonies per group, the rate per device class, a daily series, the synced / device-bound split, the upsell funnel.
 */
import 'server-only';
import type { z } from 'zod';
import type { zRegistrationQuery, RegistrationResponse } from '@/lib/contracts/registration';
import {
  credentialKindSplit,
  deviceClassRows,
  liveCredentials,
  registrationBreakdown,
  registrationRates,
  sumTallies,
  upsellFunnels,
} from './core-metrics';
import { windowEcho } from './windows';

export async function registrationResponse(query: z.output<typeof zRegistrationQuery>): Promise<RegistrationResponse> {
  const window = { from: query.from, to: query.to, tz: query.tz };
  // Every query starts at once; the ceremonies are grouped by the dimension, by kind and by day in one.
  const [{ rows, byKind, series }, live, upsell, rates] = await Promise.all([
    registrationBreakdown(window, query, query.groupBy),
    liveCredentials(window, query),
    upsellFunnels([window], query).then(([upsell]) => upsell!),
    query.groupBy === 'deviceClass' ? registrationRates(window, query) : [],
  ]);
  const credentialKinds = credentialKindSplit(byKind, live);
  const base = { ...windowEcho(window, query), totals: sumTallies(rows), series, credentialKinds, upsell };
  if (query.groupBy === 'deviceClass') return { ...base, groupBy: 'deviceClass' as const, rows: deviceClassRows(rows, rates) };
  return { ...base, groupBy: query.groupBy, rows };
}
