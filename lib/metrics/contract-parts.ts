/**
 * Response pieces every metric endpoint shares (DESIGN.md section 6): the echoed window and
 * filters, rates, and the ceremony tallies of the core rows. Contracts in lib/contracts/ build on
 * these, so a field means the same thing on every endpoint.
 */
import { z } from 'zod';
import { zFilterParams, zTimeRange } from '@/lib/api/params';

/** The request every metric endpoint takes: the window [from, to) and the global filters. */
export const zMetricsQuery = zFilterParams.and(zTimeRange);
export type MetricsQuery = z.output<typeof zMetricsQuery>;

/** A proportion in [0, 1]; null when its denominator is 0 (never NaN). */
export const zRate = z.number().min(0).max(1).nullable();
export type Rate = z.infer<typeof zRate>;

export const zCount = z.number().int().nonnegative();

/** A UTC day bucket, `YYYY-MM-DD`. */
export const zDay = z.iso.date();

/**
 * The filters as applied (each list, empty = no filter). `environment` is the one the server read:
 * the request's, else DEFAULT_ENVIRONMENT when configured (`[]` = every environment, `environment=*`).
 */
export const zAppliedFilters = z.object({
  deviceClass: z.array(z.string()),
  os: z.array(z.string()),
  browser: z.array(z.string()),
  provider: z.array(z.string()),
  credentialKind: z.array(z.string()),
  riskTier: z.array(z.string()),
  variant: z.array(z.string()),
  environment: z.array(z.string()).default([]),
  service: z.array(z.string()).default([]),
  serviceVersion: z.array(z.string()).default([]),
  osVersion: z.array(z.string()).default([]),
  browserVersion: z.array(z.string()).default([]),
});
export type AppliedFilters = z.infer<typeof zAppliedFilters>;

/** Every metric response starts with the window it answers for (ISO-8601) and the filters applied. */
export const zWindowEcho = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** The zone of the day buckets (`tz`). */
  tz: z.string().default('UTC'),
  filters: zAppliedFilters,
});
export type WindowEcho = z.infer<typeof zWindowEcho>;

/** The previous window of equal length, [from − (to − from), from). */
export const zPreviousWindow = z.object({ from: z.iso.datetime(), to: z.iso.datetime() });

/**
 * Ceremony tallies (DESIGN.md section 4): successRate = successes / (successes + failures),
 * cancelRate = cancellations / ceremonies. A cancel is not a failure.
 */
export const zCeremonyTallies = z.object({
  ceremonies: zCount,
  successes: zCount,
  failures: zCount,
  cancellations: zCount,
  successRate: zRate,
  cancelRate: zRate,
});
export type CeremonyTallies = z.infer<typeof zCeremonyTallies>;
