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
const NONE: Counts = {
  activeUsers: 0,
  reported: 0,
  platformAuthenticator: 0,
  noPlatformAuthenticator: 0,
  conditionalUi: 0,
  noConditionalUi: 0,
};

function withShares({ activeUsers, reported, platformAuthenticator, noPlatformAuthenticator, conditionalUi, noConditionalUi }: Counts) {
  return {
    activeUsers,
    reported,
    platformAuthenticator,
    noPlatformAuthenticator,
    conditionalUi,
    noConditionalUi,
    noPlatformAuthenticatorShare: rate(noPlatformAuthenticator, reported),
    noConditionalUiShare: rate(noConditionalUi, reported),
    reportedShare: rate(reported, activeUsers),
  };
}

export async function capabilitiesResponse(query: z.output<typeof zCapabilitiesQuery>): Promise<CapabilitiesResponse> {
  const rows = await runQuery(clientCapabilities, windowFilterParams(query, query));
  return {
    ...windowEcho(query, query),
    rows: rows.filter((row) => row.part === 'class').map((row) => ({ deviceClass: row.deviceClass, ...withShares(row) })),
    // Over the distinct users of A(W) (DESIGN.md section 4), not the sum of the device classes.
    totals: withShares(rows.find((row) => row.part === 'total') ?? NONE),
  };
}
