/**
 * GET /api/v1/signin — passkey authentication ceremonies per device class (cancels apart), the
 * holders' passkey sign-in success, the passkey sign-in share (and per day), fallback methods and
 * reasons, multi-device coverage and the cross-platform gap. Shared by the route and the dashboard.
 */
import { z } from 'zod';
import { zCeremonyTallies, zCount, zMetricsQuery, zRate, zWindowEcho } from '@/lib/metrics/contract-parts';
import { zSignInShareDay } from './overview';

export const zSigninQuery = zMetricsQuery;
export type SigninQuery = z.input<typeof zSigninQuery>;

/** Authentication ceremonies on one device class; `holdersSuccessRate` over those by users holding a passkey at ceremony time. */
export const zSigninDeviceClassRow = zCeremonyTallies.extend({
  deviceClass: z.string(),
  holderCeremonies: zCount,
  holdersSuccessRate: zRate,
});
export type SigninDeviceClassRow = z.infer<typeof zSigninDeviceClassRow>;

/** `auth.fallback` events by target method (`auth.method`; 'unspecified' when absent) or by reason. */
export const zFallbackMethodRow = z.object({ method: z.string(), fallbacks: zCount, users: zCount });
export const zFallbackReasonRow = z.object({ reason: z.string(), fallbacks: zCount, users: zCount });
export type FallbackMethodRow = z.infer<typeof zFallbackMethodRow>;
export type FallbackReasonRow = z.infer<typeof zFallbackReasonRow>;

export const zMultiDeviceCoverage = z.object({
  /** holders (at `to`) active in the window */
  activeHolders: zCount,
  /** of those, users with ≥ 2 live credentials at `to` */
  multiDeviceHolders: zCount,
  coverage: zRate,
});
export type MultiDeviceCoverage = z.infer<typeof zMultiDeviceCoverage>;

/**
 * Active holders every one of whose live credentials was registered on an OS family they did not
 * sign in from in the window. `pairs`: per (credential OS, sign-in OS) the users of the gap.
 */
export const zCrossPlatformGap = z.object({
  activeHolders: zCount,
  users: zCount,
  share: zRate,
  pairs: z.array(z.object({ credentialOs: z.string(), signInOs: z.string(), users: zCount })),
});
export type CrossPlatformGap = z.infer<typeof zCrossPlatformGap>;

const zLatency = z.object({
  prompts: zCount,
  /** Milliseconds; null without a prompt. Percentiles interpolate between the closest ranks. */
  p50Ms: z.number().nonnegative().nullable(),
  p95Ms: z.number().nonnegative().nullable(),
});

/** How long passkey prompts took (`passkey.prompt.duration_ms`; docs/metrics.md, "Prompt latency"). */
export const zPromptLatency = z.object({
  /** Every prompt with a duration that was a ceremony (background autofill nobody engaged with left out). */
  overall: zLatency,
  /** By device class, mediation and outcome, most prompts first. */
  rows: z.array(zLatency.extend({ deviceClass: z.string(), mediation: z.string(), outcome: z.string() })),
});
export type PromptLatency = z.infer<typeof zPromptLatency>;

export const zSigninResponse = zWindowEcho.extend({
  rows: z.array(zSigninDeviceClassRow),
  /** All authentication ceremonies of the window. */
  totals: zCeremonyTallies,
  /** Authentication ceremonies by users holding a passkey at ceremony time. */
  holders: zCeremonyTallies,
  holdersSuccessRate: zRate,
  successfulSignIns: zCount,
  passkeySignIns: zCount,
  passkeySignInShare: zRate,
  /** Every UTC day of the window. */
  shareSeries: z.array(zSignInShareDay),
  fallbackMethods: z.array(zFallbackMethodRow),
  fallbackReasons: z.array(zFallbackReasonRow),
  multiDeviceCoverage: zMultiDeviceCoverage,
  crossPlatformGap: zCrossPlatformGap,
  promptLatency: zPromptLatency,
});
export type SigninResponse = z.infer<typeof zSigninResponse>;

/**
 * GET /api/v1/signin/after-fallback — after a fallback sign-in on a device class where the user had
 * no passkey: offered one in the same session, registered one (docs/metrics.md, "Offers after a
 * fallback sign-in").
 */
export const zAfterFallbackQuery = zMetricsQuery;
export type AfterFallbackQuery = z.input<typeof zAfterFallbackQuery>;

const zAfterFallbackCounts = z.object({
  /** Fallback sign-ins on a device class where the user held no live passkey. */
  signIns: zCount,
  users: zCount,
  /** …followed by a passkey offer (`passkey.upsell` shown) within 30 minutes. */
  offered: zCount,
  /** …followed by a successful passkey registration within an hour. */
  registered: zCount,
  offeredShare: zRate,
  registeredShare: zRate,
});

export const zAfterFallbackResponse = zWindowEcho.extend({
  rows: z.array(zAfterFallbackCounts.extend({ deviceClass: z.string() })),
  /** Over every device class (`users` counts a user once). */
  totals: zAfterFallbackCounts,
});
export type AfterFallbackResponse = z.infer<typeof zAfterFallbackResponse>;
