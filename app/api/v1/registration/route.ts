import { defineRoute } from '@/lib/api/define-route';
import { zRegistrationQuery, zRegistrationResponse } from '@/lib/contracts/registration';
import {
  credentialKindSplit,
  deviceClassRows,
  registrationGroups,
  registrationRates,
  registrationSeries,
  sumTallies,
} from '@/lib/metrics/core-metrics';
import { windowEcho } from '@/lib/metrics/windows';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'registration',
  path: '/api/v1/registration',
  summary: 'Registration ceremonies per group, the registration rate per device class, a daily series and the synced / device-bound split.',
  parameters: {
    groupBy: 'The dimension rows are grouped by (default `deviceClass`).',
  },
  query: zRegistrationQuery,
  response: zRegistrationResponse,
  handler: async ({ query }) => {
    const window = { from: query.from, to: query.to };
    const [groups, byKind, series] = await Promise.all([
      registrationGroups(window, query, query.groupBy),
      query.groupBy === 'credentialKind' ? undefined : registrationGroups(window, query, 'credentialKind'),
      registrationSeries(window, query),
    ]);
    const credentialKinds = await credentialKindSplit(window, query, byKind ?? groups);
    const base = { ...windowEcho(window, query), totals: sumTallies(groups), series, credentialKinds };
    if (query.groupBy === 'deviceClass') {
      return { ...base, groupBy: 'deviceClass' as const, rows: deviceClassRows(groups, await registrationRates(window, query)) };
    }
    return { ...base, groupBy: query.groupBy, rows: groups };
  },
});
