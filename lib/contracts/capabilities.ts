/**
 * GET /api/v1/capabilities — can the active users' devices use passkeys yet? Per device class, the
 * active users and what their latest `passkey.client.capabilities` report said: a user-verifying
 * platform authenticator, conditional UI (autofill) — docs/metrics.md, "Client capabilities".
 */
import { z } from 'zod';
import { zFilterParams, zTimeRange } from '@/lib/api/params';
import { zCount, zRate, zWindowEcho } from '@/lib/metrics/contract-parts';

export const zCapabilitiesQuery = zFilterParams.and(zTimeRange);
export type CapabilitiesQuery = z.input<typeof zCapabilitiesQuery>;

export const zCapabilitiesRow = z.object({
  deviceClass: z.string(),
  activeUsers: zCount,
  /** Active users with a capability report on this device class in the window. */
  reported: zCount,
  platformAuthenticator: zCount,
  noPlatformAuthenticator: zCount,
  conditionalUi: zCount,
  noConditionalUi: zCount,
  /** noPlatformAuthenticator ÷ reported: the share that can't use a passkey on this device yet; null without reports. */
  noPlatformAuthenticatorShare: zRate,
  /** noConditionalUi ÷ reported; null without reports. */
  noConditionalUiShare: zRate,
  /** reported ÷ activeUsers: how much of the device class the figures rest on; null without active users. */
  reportedShare: zRate,
});
export type CapabilitiesRow = z.infer<typeof zCapabilitiesRow>;

export const zCapabilitiesResponse = zWindowEcho.extend({
  rows: z.array(zCapabilitiesRow),
  /** Over the distinct active users A(W), each by their latest report on any device class they were active on. */
  totals: zCapabilitiesRow.omit({ deviceClass: true }),
});
export type CapabilitiesResponse = z.infer<typeof zCapabilitiesResponse>;
