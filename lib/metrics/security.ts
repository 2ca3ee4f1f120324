/**
 * Security (GET /api/v1/security): verification signals and phishable recoveries followed by a passkey from a new device class.
 */
import 'server-only';
import type { z } from 'zod';
import {
  SECURITY_SIGNALS,
  type SecuritySignal,
  type SecuritySignalSummary,
  type SecurityResponse,
  type zSecurityQuery,
} from '@/lib/contracts/security';
import { windowEcho } from './windows';
import { runQuery } from '@/lib/query';
import { originMismatchesByOrigin } from '@/sql/queries/origin-mismatches-by-origin';
import { phishableRecoveryNewDevice } from '@/sql/queries/phishable-recovery-new-device';
import { securityVerificationSignals } from '@/sql/queries/security-verification-signals';
import { windowFilterParams } from '@/sql/queries/shared';

export async function securityResponse(query: z.output<typeof zSecurityQuery>): Promise<SecurityResponse> {
  const params = windowFilterParams(query, query);
  const [signalRows, byOrigin, recoveryRows] = await Promise.all([
    runQuery(securityVerificationSignals, { ...params, limit: query.limit }),
    runQuery(originMismatchesByOrigin, params),
    runQuery(phishableRecoveryNewDevice, { ...params, limit: query.limit }),
  ]);

  const signals = Object.fromEntries(
    SECURITY_SIGNALS.map((signal): [SecuritySignal, SecuritySignalSummary] => [signal, { events: 0, ceremonies: 0, users: 0, items: [] }]),
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
}
