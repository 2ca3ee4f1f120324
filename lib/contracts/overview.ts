/**
 * GET /api/v1/overview — the headline numbers (DESIGN.md section 4, "Where they appear"), each
 * also for the previous period of equal length, the registration rate by device class and the
 * passkey sign-in share per day. Shared by the route and the dashboard.
 */
import { z } from 'zod';
import { zCount, zDay, zMetricsQuery, zPreviousWindow, zRate, zWindowEcho } from '@/lib/metrics/contract-parts';

export const zOverviewQuery = zMetricsQuery;
export type OverviewQuery = z.input<typeof zOverviewQuery>;

/** Prompt friction of the post-sign-in upsell (`passkey.upsell` events and ceremonies on surface post_sign_in_upsell). */
export const zUpsellFriction = z.object({
  shown: zCount,
  accepted: zCount,
  dismissed: zCount,
  /** accepted / shown */
  acceptanceRate: zRate,
  /** dismissed / shown */
  dismissalRate: zRate,
  /** registration ceremonies on surface post_sign_in_upsell, and those that succeeded */
  registrationCeremonies: zCount,
  registrationSuccesses: zCount,
  /** success / (success + failure) of those ceremonies; cancels apart */
  registrationSuccessRate: zRate,
});
export type UpsellFriction = z.infer<typeof zUpsellFriction>;

export const zOverviewHeadlines = z.object({
  /** |A(W)|: distinct users with a successful auth.sign_in in the window */
  activeUsers: zCount,
  /** |H(to)|: every user holding a live passkey at `to`, active or not */
  holders: zCount,
  /** successful passkey sign-ins / all successful sign-ins */
  passkeySignInShare: zRate,
  /** among holders active in the window, the share with ≥ 2 live credentials */
  multiDeviceCoverage: zRate,
  upsell: zUpsellFriction,
});
export type OverviewHeadlines = z.infer<typeof zOverviewHeadlines>;

/** A registration-rate row: |A_d(W) ∩ H(to)| / |A_d(W)|; `holders` is the numerator. */
export const zDeviceClassRegistration = z.object({
  deviceClass: z.string(),
  activeUsers: zCount,
  holders: zCount,
  registrationRate: zRate,
});
export type DeviceClassRegistration = z.infer<typeof zDeviceClassRegistration>;

/** One UTC day of the passkey sign-in share (every day of the window; share null on a day without sign-ins). */
export const zSignInShareDay = z.object({
  day: zDay,
  successfulSignIns: zCount,
  passkeySignIns: zCount,
  share: zRate,
});
export type SignInShareDay = z.infer<typeof zSignInShareDay>;

export const zOverviewResponse = zWindowEcho.extend({
  ...zOverviewHeadlines.shape,
  /** The same headlines over the previous window of equal length, for the change indicator. */
  previous: zPreviousWindow.extend(zOverviewHeadlines.shape),
  registrationByDeviceClass: z.array(zDeviceClassRegistration),
  passkeySignInShareSeries: z.array(zSignInShareDay),
});
export type OverviewResponse = z.infer<typeof zOverviewResponse>;
