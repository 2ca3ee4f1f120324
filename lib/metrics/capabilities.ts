import 'server-only';
/**
 * Client capabilities (GET /api/v1/capabilities): per device class, the active users and what their
 * devices reported they can do — docs/metrics.md, "Client capabilities".
 */
import type { z } from 'zod';
import type { CapabilitiesResponse, CapabilitiesRow, zCapabilitiesQuery } from '@/lib/contracts/capabilities';
import { runQuery } from '@/lib/query';
import { clientCapabilities } from '@/sql/queries/client-capabilities';
import { windowFilterParams } from '@/sql/queries/shared';
import { rate } from './rates';
import { windowEcho } from './windows';

type Counts = Omit<CapabilitiesRow, 'deviceClass' | 'noPlatformAuthenticatorShare' | 'noConditionalUiShare' | 'reportedShare'>;
const COUNTS = ['activeUsers', 'reported', 'platformAuthenticator', 'noPlatformAuthenticator', 'conditionalUi', 'noConditionalUi'] as const;

function withShares(counts: Counts) {
  return {
    ...counts,
    noPlatformAuthenticatorShare: rate(counts.noPlatformAuthenticator, counts.reported),
    noConditionalUiShare: rate(counts.noConditionalUi, counts.reported),
    reportedShare: rate(counts.reported, counts.activeUsers),
  };
}

export async function capabilitiesResponse(query: z.output<typeof zCapabilitiesQuery>): Promise<CapabilitiesResponse> {
  const rows = await runQuery(clientCapabilities, windowFilterParams(query, query));
  const totals = Object.fromEntries(COUNTS.map((key) => [key, rows.reduce((sum, row) => sum + row[key], 0)])) as Counts;
  return {
    ...windowEcho(query, query),
    rows: rows.map(({ deviceClass, ...counts }) => ({ deviceClass, ...withShares(counts) })),
    // A user active on two device classes counts once per class: the totals add the classes up.
    totals: withShares(totals),
  };
}
