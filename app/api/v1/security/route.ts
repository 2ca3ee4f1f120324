import { defineRoute } from '@/lib/api/define-route';
import {
  SECURITY_SIGNALS,
  zSecurityQuery,
  zSecurityResponse,
  type SecuritySignal,
  type SecuritySignalSummary,
} from '@/lib/contracts/security';
import { windowEcho } from '@/lib/metrics/windows';
import { runQuery } from '@/lib/query';
import { originMismatchesByOrigin } from '@/sql/queries/origin-mismatches-by-origin';
import { phishableRecoveryNewDevice } from '@/sql/queries/phishable-recovery-new-device';
import { securityVerificationSignals } from '@/sql/queries/security-verification-signals';
import { windowFilterParams } from '@/sql/queries/shared';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'security',
  path: '/api/v1/security',
  summary:
    'Verification signals (origin and RP ID mismatches, challenge reuse, counter anomalies, …) and phishable recoveries followed by a passkey from a new device class.',
  parameters: {
    limit: 'At most this many newest events per signal (default 50).',
  },
  query: zSecurityQuery,
  response: zSecurityResponse,
  handler: async ({ query }) => {
    const params = windowFilterParams(query, query);
    const [signalRows, byOrigin, recoveryRows] = await Promise.all([
      runQuery(securityVerificationSignals, { ...params, limit: query.limit }),
      runQuery(originMismatchesByOrigin, params),
      runQuery(phishableRecoveryNewDevice, { ...params, limit: query.limit }),
    ]);

    const signals = Object.fromEntries(
      SECURITY_SIGNALS.map((signal): [SecuritySignal, SecuritySignalSummary] => [
        signal,
        { events: 0, ceremonies: 0, users: 0, items: [] },
      ]),
    ) as Record<SecuritySignal, SecuritySignalSummary>;
    for (const { signal, events, ceremonies, users, ...item } of signalRows) {
      const summary = signals[signal];
      summary.events = events;
      summary.ceremonies = ceremonies;
      summary.users = users;
      summary.items.push(item);
    }
    const first = recoveryRows[0];

    return {
      ...windowEcho(query, query),
      limit: query.limit,
      originMismatchesByOrigin: byOrigin,
      signals,
      phishableRecoveryNewDevice: {
        recoveries: first?.recoveries ?? 0,
        registrations: first?.registrations ?? 0,
        users: first?.users ?? 0,
        items: recoveryRows.map(({ recoveries: _r, registrations: _g, users: _u, ...item }) => item),
      },
    };
  },
});
